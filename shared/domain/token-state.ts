/**
 * What a stored token means right now (§3.2). Only the ticket's activeTokenHash can open the
 * ticket, so every other unused, unexpired token of the ticket has been superseded by a newer one.
 */
import type { Ticket, TokenRecord } from './model.js';

export type TokenState = 'used' | 'active' | 'expired' | 'superseded';

export function tokenState(token: Pick<TokenRecord, 'hash' | 'usedAt' | 'expiresAt'>, ticket: Pick<Ticket, 'activeTokenHash'>, now: Date): TokenState {
  if (token.usedAt) return 'used';
  // expiresAt is re-checked here because DynamoDB TTL removes expired items only eventually.
  const expired = Date.parse(token.expiresAt) <= now.getTime();
  if (ticket.activeTokenHash === token.hash && !expired) return 'active';
  return expired ? 'expired' : 'superseded';
}

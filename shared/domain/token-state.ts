/**
 * What a stored token means right now (docs/architecture.md, 'One active token per ticket'),
 * derived, never stored twice: only the ticket's pointer can open the ticket, a spent token is
 * listed on the ticket, and every other unexpired token of the ticket has been superseded by a
 * newer one.
 */
import type { Ticket, TokenRecord } from './model.js';

export type TokenState = 'used' | 'active' | 'expired' | 'superseded';

export function tokenState(token: Pick<TokenRecord, 'hash' | 'expiresAt'>, ticket: Pick<Ticket, 'activeToken' | 'spentTokens'>, now: Date): TokenState {
  if (ticket.spentTokens?.includes(token.hash)) return 'used';
  const active = ticket.activeToken?.hash === token.hash ? ticket.activeToken : undefined;
  // Re-checked here because DynamoDB TTL removes expired items only eventually; a closed
  // ticket's pointer may expire before the token's own TokenMaxAgeDays.
  const expiresAt = active && active.expiresAt < token.expiresAt ? active.expiresAt : token.expiresAt;
  if (Date.parse(expiresAt) <= now.getTime()) return 'expired';
  return active ? 'active' : 'superseded';
}

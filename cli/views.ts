/**
 * What the CLI shows of stored records. Token hashes are secrets of a kind (they address the
 * token items): they appear only as a short prefix, and the ticket's pointers (token and sign-in
 * code), spent list and the last spend's nonce not at all.
 */
import type { Article, Customer, Ticket, TokenRecord } from '../shared/domain/model.js';
import { tokenState, type TokenState } from '../shared/domain/token-state.js';
import type { Column } from './format.js';

export type TicketView = Omit<Ticket, 'activeToken' | 'activeCode' | 'spentTokens' | 'lastSpentHash' | 'lastSpentNonce'>;

export interface TokenSummary {
  /** First characters of the hash: enough to tell tokens apart, useless for anything else. */
  hashPrefix: string;
  purpose: TokenRecord['purpose'];
  state: TokenState;
  createdAt: string;
  expiresAt: string;
  /** When SES accepted the mail carrying the link. */
  sentAt: string;
  /** When it was spent, for the most recent spend (earlier spent tokens show only their state). */
  usedAt?: string;
}

export const HASH_PREFIX_LENGTH = 8;

export function ticketView(ticket: Ticket): TicketView {
  const { activeToken: _pointer, activeCode: _code, spentTokens: _spent, lastSpentHash: _last, lastSpentNonce: _nonce, ...view } = ticket;
  return view;
}

export function tokenSummary(token: TokenRecord, ticket: Ticket, now: Date): TokenSummary {
  return {
    hashPrefix: token.hash.slice(0, HASH_PREFIX_LENGTH),
    purpose: token.purpose,
    state: tokenState(token, ticket, now),
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    sentAt: token.sentAt,
    ...(ticket.lastSpentHash === token.hash && ticket.lastSpentAt ? { usedAt: ticket.lastSpentAt } : {}),
  };
}

export const customerColumns: Column<Customer>[] = [
  { header: 'LOGIN', value: (c) => c.login },
  { header: 'EMAIL', value: (c) => c.email },
  { header: 'LANG', value: (c) => c.language },
  { header: 'DISABLED', value: (c) => c.disabled },
  { header: 'SOURCE', value: (c) => c.source },
  { header: 'CREATED', value: (c) => c.createdAt },
];

export const ticketColumns: Column<TicketView>[] = [
  { header: 'NUMBER', value: (t) => t.number },
  { header: 'STATE', value: (t) => t.state },
  { header: 'CUSTOMER', value: (t) => t.customerLogin },
  { header: 'CREATED', value: (t) => t.createdAt },
  { header: 'UPDATED', value: (t) => t.updatedAt },
  { header: 'TITLE', value: (t) => t.title, max: 50 },
];

export const tokenColumns: Column<TokenSummary>[] = [
  { header: 'HASH', value: (t) => `${t.hashPrefix}…` },
  { header: 'PURPOSE', value: (t) => t.purpose },
  { header: 'STATE', value: (t) => t.state },
  { header: 'CREATED', value: (t) => t.createdAt },
  { header: 'SENT', value: (t) => t.sentAt },
  { header: 'EXPIRES', value: (t) => t.expiresAt },
  { header: 'USED', value: (t) => t.usedAt },
];

export function attachmentsLine(article: Article): string {
  return article.attachments.map((a) => `${a.filename} (${a.contentType}, ${a.size} bytes)`).join(', ');
}

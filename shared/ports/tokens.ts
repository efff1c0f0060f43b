import type { TokenRecord } from '../domain/model.js';
import type { AlsoWrite } from './writes.js';

export interface TokenRepository {
  get(ticketNumber: string, hash: string): Promise<TokenRecord | undefined>;
  /** Every token item of the ticket, oldest first, expired ones included (TTL deletes late). */
  listByTicket(ticketNumber: string): Promise<TokenRecord[]>;
  /**
   * Stores a token whose mail the provider accepted, with what rides along (trail, outbox).
   * `removeAt`: when DynamoDB's TTL may delete it, if before `token.expiresAt` (a ticket closed within its window).
   */
  recordSent(token: TokenRecord, also?: AlsoWrite, removeAt?: string): Promise<void>;
  /** Moves a token's TTL (closing brings it forward, reopening restores it); nothing when the token does not exist. */
  setTtl(ticketNumber: string, hash: string, expiresAt: string): Promise<void>;
  /** Deletes every token of a ticket (the sweep); resolves with how many there were. */
  deleteAll(ticketNumber: string): Promise<{ deleted: number; read: number }>;
}

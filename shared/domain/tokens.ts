/**
 * One-time tokens (docs/links-and-portal.md, 'Tokens and the 10-minute rule'): 256 bits from a
 * CSPRNG, base64url (43 chars); only the SHA-256 is stored. The raw token exists in memory between
 * minting and the mail that carries it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Random } from '../ports/system.js';
import type { ActiveToken, TokenPurpose, TokenRecord } from './model.js';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const TICKET_NUMBER_PATTERN = /^\d{8,20}$/;
const DAY_MS = 86_400_000;

export interface MintedToken {
  raw: string;
  ticketNumber: string;
  customerLogin: string;
  /** What the ticket's pointer will hold. */
  active: ActiveToken;
}

/** SHA-256 as base64url: how a secret or personal value is kept or compared without keeping it. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

export function hashToken(raw: string): string {
  return sha256(raw);
}

/** Cheap shape check before any lookup: malformed input never reaches the table. */
export function isWellFormedToken(raw: string): boolean {
  return TOKEN_PATTERN.test(raw);
}

export function isWellFormedTicketNumber(value: string): boolean {
  return TICKET_NUMBER_PATTERN.test(value);
}

export function mintToken(
  random: Random,
  config: Pick<Config, 'TokenMaxAgeDays'>,
  now: Date,
  owner: { ticketNumber: string; customerLogin: string; purpose: TokenPurpose },
): MintedToken {
  const raw = random.bytes(TOKEN_BYTES).toString('base64url');
  return {
    raw,
    ticketNumber: owner.ticketNumber,
    customerLogin: owner.customerLogin,
    active: {
      hash: hashToken(raw),
      purpose: owner.purpose,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + config.TokenMaxAgeDays * DAY_MS).toISOString(),
    },
  };
}

/** The token item written once the provider accepted the mail; `expiresAt` stays minted + TokenMaxAgeDays. */
export function sentTokenRecord(minted: MintedToken, sentAt: string, config: Pick<Config, 'TokenMaxAgeDays'>): TokenRecord {
  const expiresAt = new Date(Date.parse(minted.active.createdAt) + config.TokenMaxAgeDays * DAY_MS).toISOString();
  return { hash: minted.active.hash, ticketNumber: minted.ticketNumber, customerLogin: minted.customerLogin, purpose: minted.active.purpose, createdAt: minted.active.createdAt, expiresAt, sentAt };
}

/** The link carries the ticket number so the token is checked against one ticket item. */
export function linkFor(portalUrl: string, ticketNumber: string, raw: string): string {
  return `${portalUrl}/link/${ticketNumber}/${raw}`;
}

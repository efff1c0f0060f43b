/**
 * One-time tokens (docs/links-and-portal.md, 'Tokens and the 10-minute rule'): 256 bits from a
 * CSPRNG, base64url (43 chars); only the SHA-256 is stored. The raw token exists in memory between
 * minting and the mail that carries it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Random } from '../ports/system.js';
import { codeHash, mintCode } from './codes.js';
import type { ActiveCode, ActiveToken, TokenPurpose, TokenRecord } from './model.js';

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
  /** The sign-in code of the same mail (domain/codes.ts): raw for the mail, hashed for the ticket. */
  code: { raw: string; active: ActiveCode };
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

/**
 * A ticket number as a person types or copies it: `2026 1203 0000 01`, `Ticket#20261203000001`,
 * `[Ticket#20261203000001]` all mean 20261203000001. Spaces go, and a leading `Ticket#` (any case,
 * with or without the subject's brackets); what is left is judged by isWellFormedTicketNumber.
 */
export function normalizeTicketNumber(typed: string): string {
  return typed
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\[?(?:ticket)?(?:#|:|nr\.?|no\.?)?/i, '')
    .replace(/\]$/, '');
}

export function mintToken(
  random: Random,
  config: Pick<Config, 'TokenMaxAgeDays'>,
  now: Date,
  owner: { ticketNumber: string; customerLogin: string; purpose: TokenPurpose },
  /** The key of the codes' keyed hash, kept outside the table. */
  codeKey: Uint8Array,
): MintedToken {
  const raw = random.bytes(TOKEN_BYTES).toString('base64url');
  const hash = hashToken(raw);
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + config.TokenMaxAgeDays * DAY_MS).toISOString();
  const code = mintCode(random);
  return {
    raw,
    ticketNumber: owner.ticketNumber,
    customerLogin: owner.customerLogin,
    active: { hash, purpose: owner.purpose, createdAt, expiresAt },
    code: { raw: code, active: { hash: codeHash(codeKey, owner.ticketNumber, code), tokenHash: hash, createdAt, expiresAt } },
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

/** Where a mail's sign-in code is typed (the `code` route of shared/web/routes.ts). */
export function codeUrlFor(portalUrl: string): string {
  return `${portalUrl}/code`;
}

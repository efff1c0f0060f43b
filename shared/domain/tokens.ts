/**
 * One-time tokens (§3.2): 256 bits from a CSPRNG, base64url (43 chars); only the SHA-256
 * is stored. The raw token exists in memory between minting and the mail that carries it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Random } from '../ports.js';
import type { TokenRecord } from './model.js';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

export interface MintedToken {
  raw: string;
  record: TokenRecord;
}

export function hashToken(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('base64url');
}

/** Cheap shape check before any lookup: malformed input never reaches the table. */
export function isWellFormedToken(raw: string): boolean {
  return TOKEN_PATTERN.test(raw);
}

export function mintToken(
  random: Random,
  config: Pick<Config, 'TokenMaxAgeDays'>,
  now: Date,
  owner: { ticketNumber: string; customerLogin: string; purpose: TokenRecord['purpose'] },
): MintedToken {
  const raw = random.bytes(TOKEN_BYTES).toString('base64url');
  return {
    raw,
    record: {
      hash: hashToken(raw),
      ...owner,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + config.TokenMaxAgeDays * DAY_MS).toISOString(),
    },
  };
}

/** The link carries the ticket number so the token item is read with one strongly consistent GetItem. */
export function linkFor(portalUrl: string, ticketNumber: string, raw: string): string {
  return `${portalUrl}/link/${ticketNumber}/${raw}`;
}

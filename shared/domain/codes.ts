/**
 * Sign-in codes (docs/links-and-portal.md, "Sign-in codes"): every mail with a link also carries a
 * short code a person types on `/code`, so a mail scanner that spent the link, or a link opened on
 * another device, still leaves the person a way in.
 *
 * Eight characters from 30 symbols without look-alikes — the digits 2–9 and the letters without I,
 * L, O and U — are 8 × log2(30) ≈ 39.3 bits, drawn uniformly (rejection sampling: no modulo bias),
 * shown as two groups of four (`7KQ4-M9XT`). Typing ignores case, spaces and hyphens.
 *
 * Kept only as a keyed hash (HMAC-SHA-256 over the ticket number and the code) whose key lives
 * outside the table: 39 bits fall to an offline search of a plain hash, so a copy of the table
 * alone must not let anyone test codes. The raw code exists in memory between minting and the
 * mail that carries it, and in the request that types it.
 */
import { createHmac } from 'node:crypto';
import type { Random } from '../ports/system.js';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 8;
/** The code's strength, said honestly: 8 × log2(30). */
export const CODE_BITS = CODE_LENGTH * Math.log2(CODE_ALPHABET.length);

/** Bytes at or above this would make some symbols likelier than others: they are drawn again. */
const ACCEPT_BELOW = 256 - (256 % CODE_ALPHABET.length);
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
/** What a person may type between the characters: spaces and any dash or hyphen. */
const SEPARATORS = /[\s\u002D\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu;

/** A fresh code, uniform over the alphabet. */
export function mintCode(random: Random): string {
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const byte of random.bytes(CODE_LENGTH * 2)) {
      if (byte >= ACCEPT_BELOW) continue;
      code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
      if (code.length === CODE_LENGTH) break;
    }
  }
  return code;
}

/** `7KQ4M9XT` → `7KQ4-M9XT`: how a mail shows it. */
export function formatCode(code: string): string {
  return `${code.slice(0, CODE_LENGTH / 2)}-${code.slice(CODE_LENGTH / 2)}`;
}

/** What a person typed, as the code it means: case, spaces and hyphens ignored; undefined when it cannot be one. */
export function normalizeCode(typed: string): string | undefined {
  const code = typed.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
  return CODE_PATTERN.test(code) ? code : undefined;
}

/** The keyed hash a code is kept and compared as; bound to its ticket, so one ticket's code never opens another. */
export function codeHash(key: Uint8Array, ticketNumber: string, code: string): string {
  return createHmac('sha256', key).update(`${ticketNumber}:${code}`, 'utf8').digest('base64url');
}

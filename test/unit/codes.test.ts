/**
 * The pure parts of the sign-in codes and their limits (shared/domain/codes.ts, limits.ts, the
 * ticket-number normaliser in tokens.ts): the alphabet and its strength, uniform drawing, what a
 * person may type, the keyed hash, the hour windows and the network a client counts for.
 */
import { describe, it, expect } from '@jest/globals';
import { CODE_ALPHABET, CODE_BITS, CODE_LENGTH, codeHash, formatCode, mintCode, normalizeCode } from '../../shared/domain/codes.js';
import { clientNetwork, hourWindow } from '../../shared/domain/limits.js';
import { isWellFormedTicketNumber, normalizeTicketNumber } from '../../shared/domain/tokens.js';
import { cryptoRandom } from '../../shared/system.js';

/** A Random that hands out the given bytes, in order, then zeros. */
const bytesOf = (...values: number[]) => {
  const queue = [...values];
  return { bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => queue.shift() ?? 0)) };
};

describe('sign-in codes', () => {
  it('use the digits 2–9 and the letters without I, L, O and U: 30 symbols, 8 of them ≈ 39.3 bits', () => {
    expect(CODE_ALPHABET).toBe('23456789ABCDEFGHJKMNPQRSTVWXYZ');
    expect(CODE_ALPHABET).not.toMatch(/[01ILOU]/);
    expect(new Set(CODE_ALPHABET).size).toBe(30);
    expect(CODE_LENGTH).toBe(8);
    expect(CODE_BITS).toBeCloseTo(39.26, 2);
  });

  it('draw again a byte that would favour some symbols (rejection sampling, no modulo bias)', () => {
    // Prepare: 240..255 would wrap onto the first 16 symbols; 0..239 map evenly (8 bytes each).
    const random = bytesOf(240, 255, 0, 29, 30, 239, 1, 2, 3, 4);

    // Act
    const code = mintCode(random);

    // Assert: 240 and 255 were dropped; 0 and 30 both mean '2', 29 and 239 both mean 'Z'.
    expect(code).toBe('2Z2Z3456');
  });

  it('are spread evenly over the alphabet', () => {
    // Act: 3 000 codes, 24 000 symbols, 800 expected per symbol.
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) for (const c of mintCode(cryptoRandom)) counts.set(c, (counts.get(c) ?? 0) + 1);

    // Assert: every symbol, none far off (a modulo bias of 256 over 30 would put 16 symbols ~7 % high).
    expect([...counts.keys()].sort().join('')).toBe(CODE_ALPHABET);
    for (const n of counts.values()) expect(Math.abs(n - 800)).toBeLessThan(160);
  });

  it('show as two groups of four and read back whatever the case, spaces and hyphens', () => {
    expect(formatCode('7KQ4M9XT')).toBe('7KQ4-M9XT');
    for (const typed of ['7KQ4-M9XT', '7kq4-m9xt', '7kq4 m9xt', ' 7 K Q 4 M 9 X T ', '7KQ4–M9XT', '７ＫＱ４Ｍ９ＸＴ']) expect(normalizeCode(typed)).toBe('7KQ4M9XT');
  });

  it('refuse what cannot be a code: look-alikes, wrong length, other characters', () => {
    for (const typed of ['7KQ4-M9XO', '7KQ4-M9X1', '7KQ4-M9X', '7KQ4-M9XTT', '7KQ4_M9XT', '', 'DROP TABLE']) expect(normalizeCode(typed)).toBeUndefined();
  });

  it('are kept as a hash keyed outside the table and bound to their ticket', () => {
    // Prepare
    const key = Buffer.alloc(32, 1);

    // Act
    const hash = codeHash(key, '20261203000001', '7KQ4M9XT');

    // Assert: the same inputs, the same hash; another key, ticket or code, another hash; the code itself nowhere in it.
    expect(codeHash(key, '20261203000001', '7KQ4M9XT')).toBe(hash);
    expect(codeHash(Buffer.alloc(32, 2), '20261203000001', '7KQ4M9XT')).not.toBe(hash);
    expect(codeHash(key, '20261203000002', '7KQ4M9XT')).not.toBe(hash);
    expect(codeHash(key, '20261203000001', '7KQ4M9XV')).not.toBe(hash);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('ticket numbers as typed', () => {
  it.each([
    ['20261203000001', '20261203000001'],
    ['2026 1203 0000 01', '20261203000001'],
    ['Ticket#20261203000001', '20261203000001'],
    ['ticket# 20261203000001', '20261203000001'],
    ['[Ticket#20261203000001]', '20261203000001'],
    ['#20261203000001', '20261203000001'],
    [' 20261203000001\n', '20261203000001'],
  ])('%j means %s', (typed, number) => {
    expect(normalizeTicketNumber(typed)).toBe(number);
    expect(isWellFormedTicketNumber(normalizeTicketNumber(typed))).toBe(true);
  });

  it('leave what is not a number not one', () => {
    for (const typed of ['x', 'Ticket#', '2026-1203', 'Ticket#abc']) expect(isWellFormedTicketNumber(normalizeTicketNumber(typed))).toBe(false);
  });
});

describe('limits', () => {
  it('count in clock hours: the window, when it ends, and when its bucket may go', () => {
    // Act
    const w = hourWindow(new Date('2026-12-03T14:25:00.000Z'));

    // Assert
    expect(w.index).toBe(Math.floor(Date.parse('2026-12-03T14:00:00.000Z') / 3_600_000));
    expect(w.endsAt).toBe('2026-12-03T15:00:00.000Z');
    expect(w.expiresAt).toBe('2026-12-03T16:00:00.000Z');
    expect(hourWindow(new Date('2026-12-03T14:59:59.999Z')).index).toBe(w.index);
    expect(hourWindow(new Date('2026-12-03T15:00:00.000Z')).index).toBe(w.index + 1);
  });

  it('count an IPv4 client by its address and an IPv6 client by its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    // Every address of one /64 is one client: rotating through it gains nothing.
    const own = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:9', '2001:db8:1:2:a::b'];
    expect(new Set(own.map(clientNetwork))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

import { describe, expect, it } from '@jest/globals';
import { tokenState } from '../../shared/domain/token-state.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const token = { hash: 'h1', expiresAt: '2026-12-25T10:00:00.000Z' };

describe('tokenState', () => {
  it.each([
    ['used, whatever else holds', { ...token, usedAt: '2026-11-25T09:00:00.000Z' }, { activeTokenHash: 'h1' }, 'used'],
    ['active: the ticket names it and it has not expired', token, { activeTokenHash: 'h1' }, 'active'],
    ['superseded: the ticket names another token', token, { activeTokenHash: 'h2' }, 'superseded'],
    ['superseded: the ticket names none (spent elsewhere)', token, {}, 'superseded'],
    ['expired even if the ticket still names it', { ...token, expiresAt: '2026-11-25T10:00:00.000Z' }, { activeTokenHash: 'h1' }, 'expired'],
    ['expired when superseded and old', { ...token, expiresAt: '2026-11-01T00:00:00.000Z' }, { activeTokenHash: 'h2' }, 'expired'],
  ])('%s', (_label, t, ticket, expected) => {
    expect(tokenState(t, ticket, now)).toBe(expected);
  });
});

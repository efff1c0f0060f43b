import { describe, expect, it } from '@jest/globals';
import { tokenState } from '../../shared/domain/token-state.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const token = { hash: 'h1', expiresAt: '2026-12-25T10:00:00.000Z' };
const pointer = (hash: string, expiresAt = token.expiresAt) => ({ activeToken: { hash, purpose: 'auto-reply' as const, createdAt: '2026-11-25T09:00:00.000Z', expiresAt } });

describe('tokenState', () => {
  it.each([
    ['used: the ticket lists it as spent, whatever else holds', token, { ...pointer('h1'), spentTokens: ['h1'] }, 'used'],
    ['active: the ticket names it and it has not expired', token, pointer('h1'), 'active'],
    ['superseded: the ticket names another token', token, pointer('h2'), 'superseded'],
    ['superseded: the ticket names none (spent elsewhere)', token, {}, 'superseded'],
    ['expired even if the ticket still names it', { ...token, expiresAt: '2026-11-25T10:00:00.000Z' }, pointer('h1'), 'expired'],
    ['expired when its closed ticket brought the pointer forward', token, pointer('h1', '2026-11-24T00:00:00.000Z'), 'expired'],
    ['expired when superseded and old', { ...token, expiresAt: '2026-11-01T00:00:00.000Z' }, pointer('h2'), 'expired'],
  ])('%s', (_label, t, ticket, expected) => {
    expect(tokenState(t, ticket, now)).toBe(expected);
  });
});

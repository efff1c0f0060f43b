/** EventBridge event patterns as the local bus checks and matches them (local/event-pattern.ts). */
import { describe, expect, it } from '@jest/globals';
import { matchesPattern, parsePattern } from '../../local/event-pattern.js';

const ticketCreated = {
  version: '0',
  id: 'e1',
  'detail-type': 'TicketCreated',
  source: 'one-time-auth-links',
  account: '000000000000',
  time: '2026-12-02T11:41:40Z',
  region: 'us-east-1',
  resources: [],
  detail: { ticketNumber: '20261202000001', state: 'new', customer: { login: 'alice@example.com', language: 'de' }, article: { attachments: ['a.pdf', 'b.jpg'], size: 12 } },
};

describe('event patterns: matching', () => {
  it.each([
    ['source and detail-type lists', { source: ['one-time-auth-links'], 'detail-type': ['TicketCreated', 'CustomerReplied'] }, true],
    ['another detail-type', { 'detail-type': ['TicketReopened'] }, false],
    ['a nested detail field with an exact value', { detail: { customer: { language: ['de'] } } }, true],
    ['a nested detail field with another value', { detail: { customer: { language: ['en'] } } }, false],
    ['a prefix', { detail: { ticketNumber: [{ prefix: '202612' }] } }, true],
    ['a prefix that does not fit', { detail: { ticketNumber: [{ prefix: '2025' }] } }, false],
    ['a suffix', { detail: { customer: { login: [{ suffix: '@example.com' }] } } }, true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'One-Time-Auth-Links' }] }, true],
    ['anything-but a value it has', { detail: { state: [{ 'anything-but': 'new' }] } }, false],
    ['anything-but a list without its value', { detail: { state: [{ 'anything-but': ['closed', 'merged'] }] } }, true],
    ['anything-but a prefix', { source: [{ 'anything-but': { prefix: 'aws.' } }] }, true],
    ['exists true on a present field', { detail: { state: [{ exists: true }] } }, true],
    ['exists false on a missing field', { detail: { mergedInto: [{ exists: false }] } }, true],
    ['exists true on a missing field', { detail: { mergedInto: [{ exists: true }] } }, false],
    ['an exact value on a missing field', { detail: { mergedInto: ['x'] } }, false],
    ['anything-but on a missing field', { detail: { mergedInto: [{ 'anything-but': 'x' }] } }, false],
    ['any element of an array field', { detail: { article: { attachments: [{ suffix: '.jpg' }] } } }, true],
    ['a numeric range', { detail: { article: { size: [{ numeric: ['>', 10, '<=', 12] }] } } }, true],
    ['a numeric range it misses', { detail: { article: { size: [{ numeric: ['<', 10] }] } } }, false],
    ['a string for a number', { detail: { article: { size: ['12'] } } }, false],
    ['an object where a value is asked for', { detail: { customer: ['x'] } }, false],
  ])('%s → %s', (_label, pattern, expected) => {
    expect(matchesPattern(parsePattern(JSON.stringify(pattern)), ticketCreated)).toBe(expected);
  });
});

describe('event patterns: checked as PutRule checks them', () => {
  it.each([
    ['not JSON', '{source', /not JSON/],
    ['an empty object', '{}', /non-empty JSON object/],
    ['an empty list', '{"source": []}', /"source" must be an object or a non-empty array/],
    ['a bare string', '{"source": "helpdesk"}', /"source" must be an object or a non-empty array/],
    ['an unknown filter', '{"source": [{"startsWith": "x"}]}', /"source": unknown filter "startsWith"/],
    ['a filter not offered locally', '{"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}', /"cidr" is not supported by the local event bus/],
    ['$or', '{"$or": [{"source": ["a"]}, {"source": ["b"]}]}', /"\$or" is not supported by the local event bus/],
    ['a numeric filter without pairs', '{"detail": {"n": [{"numeric": [">"]}]}}', /operator\/number pairs/],
    ['exists with a string', '{"detail": {"n": [{"exists": "yes"}]}}', /true or false/],
    ['too long', JSON.stringify({ source: ['x'.repeat(5000)] }), /longer than 4096/],
  ])('refuses %s, naming the problem', (_label, text, problem) => {
    expect(() => parsePattern(text)).toThrow(expect.objectContaining({ name: 'InvalidEventPatternException', message: expect.stringMatching(problem) }));
  });
});

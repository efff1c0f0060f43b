/**
 * What a client says it is (shared/web/http.ts clientKind): mail security scanners and headless
 * browsers are stored with their kind on the trail and read back; a kind this version does not
 * know reads as none.
 */
import { describe, it, expect } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { read, trailItem } from '../../shared/adapters/dynamodb/items.js';
import { trailEntry } from '../../shared/domain/trail.js';
import { clientKind } from '../../shared/web/http.js';

const withAgent = (ua: string) => ({ headers: { 'user-agent': ua } }) as unknown as APIGatewayProxyEventV2;

describe('clientKind', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', undefined],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', undefined],
    ['Mozilla/5.0 (compatible; MSIE 10.0) SafeLinks', 'mail-scanner'],
    ['Proofpoint URL Defense', 'mail-scanner'],
    ['Mimecast Link Scanner', 'mail-scanner'],
    ['Barracuda Sentinel (EE)', 'mail-scanner'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', 'headless-browser'],
    ['Mozilla/5.0 PhantomJS/2.1.1', 'headless-browser'],
  ])('%s → %s', (ua, kind) => {
    expect(clientKind(withAgent(ua))).toBe(kind);
  });
});

describe('the kind on the trail', () => {
  it('is stored with the entry and read back; an unknown one reads as none', () => {
    const at = '2026-12-03T10:00:00.000Z';
    const item = trailItem.to(trailEntry('1', at, { event: 'link-opened' }, { hint: 'link scanner, 198.51.100.0/24', kind: 'mail-scanner' }), 'id', 30);

    expect(item).toMatchObject({ event: 'link-opened', clientKind: 'mail-scanner' });
    expect(read.trail(item)).toMatchObject({ event: 'link-opened', clientKind: 'mail-scanner' });
    expect(read.trail({ ...item, clientKind: 'toaster' })).not.toHaveProperty('clientKind');
  });
});

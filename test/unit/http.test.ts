import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseConfig } from '../../shared/config.js';
import { acceptedLanguage, clientHint, cookies, csrfToken, formFields, HttpRequestError, isSameOriginPost, seeOther, sessionCookie, setSessionCookie, truncateIp } from '../../shared/web/http.js';
import { allowedMethods, matchRoute, pathOf, routeMethod } from '../../shared/web/routes.js';

function event(over: Partial<APIGatewayProxyEventV2> & { headers?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'ANY /',
    rawPath: '/',
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: '' } } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...over,
  };
}
const form = (body: string, base64 = false) => event({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body: base64 ? Buffer.from(body, 'latin1').toString('base64') : body, isBase64Encoded: base64 });

describe('session cookie', () => {
  it('is __Host- prefixed and Secure when the portal is https, plain on http', () => {
    const https = sessionCookie(parseConfig({ PortalUrl: 'https://help.example.com' }));
    expect(setSessionCookie(https, 'abc', 60)).toBe('__Host-ota_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(setSessionCookie(sessionCookie(parseConfig({ PortalUrl: 'http://localhost:3000' })), 'abc', 60)).toBe('ota_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
  });

  it('reads cookies from API Gateway’s list and from a Cookie header', () => {
    expect(cookies(event({ cookies: ['a=1', 'ota_session=xyz'] })).get('ota_session')).toBe('xyz');
    expect(cookies(event({ headers: { cookie: 'a=1; ota_session=xyz' } })).get('ota_session')).toBe('xyz');
  });

  it('derives a form token only the session holder can make', () => {
    expect(csrfToken('session-a')).not.toBe(csrfToken('session-b'));
    expect(csrfToken('session-a')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('form bodies', () => {
  it('reads UTF-8 fields, plain or base64-encoded, first value of a name winning', () => {
    expect([...formFields(form('text=Gr%C3%BC%C3%9Fe+aus+K%C3%B6ln&csrf=a&csrf=b'))]).toEqual([
      ['text', 'Grüße aus Köln'],
      ['csrf', 'a'],
    ]);
    expect(formFields(form('x=%E2%82%AC', true)).get('x')).toBe('€');
  });

  it.each([
    ['broken UTF-8 after percent-decoding', form('x=%FF%FE'), 400],
    ['a raw 8-bit byte', form('x=\xe4', true), 400],
    ['JSON', event({ headers: { 'content-type': 'application/json' }, body: '{}' }), 415],
    ['no content type', event({ body: 'x=1' }), 415],
    ['more than 200 000 bytes', form(`x=${'a'.repeat(200_001)}`), 413],
  ])('refuses %s with %s', (_label, e, status) => {
    expect(() => formFields(e)).toThrow(HttpRequestError);
    try {
      formFields(e);
    } catch (err) {
      expect((err as HttpRequestError).status).toBe(status);
    }
  });
});

describe('where a request comes from', () => {
  const portalUrl = 'https://help.example.com';

  it.each([
    [{ origin: 'https://help.example.com' }, true],
    [{ origin: 'https://evil.example' }, false],
    [{ origin: 'null' }, false],
    // What Chromium sends for our own form under Referrer-Policy: no-referrer, and what a sandboxed frame elsewhere sends.
    [{ origin: 'null', 'sec-fetch-site': 'same-origin' }, true],
    [{ origin: 'null', 'sec-fetch-site': 'cross-site' }, false],
    [{ 'sec-fetch-site': 'same-origin' }, true],
    [{ 'sec-fetch-site': 'cross-site' }, false],
    [{ 'sec-fetch-site': 'same-site' }, false],
    [{}, true],
  ])('a form post with %j is same-origin: %s', (headers, expected) => {
    expect(isSameOriginPost(event({ headers }), portalUrl)).toBe(expected);
  });

  it.each([
    ['203.0.113.7', '203.0.113.0/24'],
    ['::ffff:198.51.100.23', '198.51.100.0/24'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1::/48'],
    ['2001:0db8::1', '2001:db8:0::/48'],
    ['garbage', undefined],
  ])('truncates %s to %s, never keeping a full address', (ip, network) => {
    expect(truncateIp(ip)).toBe(network);
  });

  it('names the browser family, and takes the address from API Gateway, not from a header', () => {
    const e = event({ headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 'x-forwarded-for': '1.2.3.4' } });
    expect(clientHint(e)).toBe('Safari, 203.0.113.0/24');
  });

  it('picks the first language the portal speaks, by quality', () => {
    const config = parseConfig({});
    expect(acceptedLanguage(event({ headers: { 'accept-language': 'fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7' } }), config)).toBe('de');
    expect(acceptedLanguage(event({ headers: { 'accept-language': 'en;q=0.1, de;q=0.9' } }), config)).toBe('de');
    expect(acceptedLanguage(event({ headers: { 'accept-language': 'fr' } }), config)).toBeUndefined();
  });
});

describe('redirects and routes', () => {
  it('redirects only to portal paths', () => {
    expect(seeOther('/tickets/1').headers).toMatchObject({ Location: '/tickets/1' });
    expect(() => seeOther('//evil.example/x')).toThrow();
    expect(() => seeOther('https://evil.example')).toThrow();
  });

  it('matches routes with their parameters, and nothing else', () => {
    expect(matchRoute('/link/2026/abc')).toEqual({ name: 'link', params: { ticket: '2026', token: 'abc' } });
    expect(matchRoute('/tickets/1/reply')).toEqual({ name: 'reply', params: { number: '1' } });
    expect(matchRoute('/tickets/')).toBeUndefined();
    expect(matchRoute('/link/2026/abc/extra')).toBeUndefined();
    expect(matchRoute('/wp-admin')).toBeUndefined();
  });

  it('builds paths from the table, each parameter percent-encoded, and matches them back', () => {
    expect(pathOf('tickets')).toBe('/tickets');
    expect(pathOf('reply', { number: '20260304000001' })).toBe('/tickets/20260304000001/reply');
    const odd = pathOf('link', { ticket: '1/2', token: 'a b?' });
    expect(odd).toBe('/link/1%2F2/a%20b%3F');
    expect(matchRoute(odd)).toEqual({ name: 'link', params: { ticket: '1/2', token: 'a b?' } });
  });

  it('hands a route its methods only, HEAD as GET, and names HEAD beside GET in Allow', () => {
    expect(routeMethod('ticket', 'HEAD')).toBe('GET');
    expect(routeMethod('link', 'POST')).toBe('POST');
    expect(routeMethod('reply', 'HEAD')).toBeUndefined();
    expect(routeMethod('ticket', 'PUT')).toBeUndefined();
    expect(allowedMethods('access')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods('logout')).toEqual(['POST']);
  });
});

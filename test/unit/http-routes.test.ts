/**
 * The HTTP function's dispatch over the route table (functions/http/handler.ts), on the in-memory
 * fakes: what every route answers a method it does not take, HEAD, an unknown route key, and the
 * security headers on every answer. What each route does with a method it takes: the integration
 * suites (redeem-link, portal, self-service, access-trail).
 */
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { buildHttpDeps } from '../../functions/http/deps.js';
import { makeHandler } from '../../functions/http/handler.js';
import { securityHeaders } from '../../functions/http/security-headers.js';
import { parseConfig } from '../../shared/config.js';
import { ENV } from '../../shared/env.js';
import { PORTAL_CSS } from '../../shared/web/portal-css.js';
import { ROUTES, routeKey, type RouteName } from '../../shared/web/routes.js';
import { FakeClock, RecordingLogger, RecordingMetrics } from '../support/fakes.js';
import { memoryRepositories, MemoryMailer, MemoryPublisher } from '../support/memory.js';

const PORTAL_URL = 'https://help.example.com';

function portal() {
  const repositories = memoryRepositories();
  const deps = buildHttpDeps({ [ENV.tableName]: 'unused' }, {
    ...repositories,
    config: parseConfig({ PortalUrl: PORTAL_URL }),
    clock: new FakeClock(),
    logger: new RecordingLogger(),
    metrics: new RecordingMetrics(),
    mailer: new MemoryMailer(),
    publisher: new MemoryPublisher(),
  });
  return { handler: makeHandler(deps), world: repositories.world };
}

function request(key: string, method: string, path = '/'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: key,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: '' }, requestId: 'r-1' } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  };
}

const answer = (handler: ReturnType<typeof makeHandler>, event: APIGatewayProxyEventV2) =>
  handler(event, { awsRequestId: 'r-1', functionName: 'http', getRemainingTimeInMillis: () => 30_000 } as never) as Promise<APIGatewayProxyStructuredResultV2>;

/** The methods each route answered before the table held them (the handler's own list, then). */
const ALLOW: Record<RouteName, string> = {
  home: 'GET, HEAD',
  link: 'GET, HEAD, POST',
  tickets: 'GET, HEAD',
  ticket: 'GET, HEAD',
  message: 'GET, HEAD',
  file: 'GET, HEAD',
  reply: 'POST',
  logout: 'POST',
  access: 'GET, HEAD, POST',
  code: 'GET, HEAD, POST',
  stylesheet: 'GET, HEAD',
};

describe('dispatch over the route table', () => {
  const { handler, world } = portal();

  it.each(Object.keys(ROUTES) as RouteName[])('%s answers a method it does not take with 405 and Allow, touching nothing', async (name) => {
    // Prepare: a method no route takes, and one each route may not.
    const methods = ['PUT', 'DELETE', ...(ALLOW[name].includes('GET') ? [] : ['GET', 'HEAD']), ...(ALLOW[name].includes('POST') ? [] : ['POST'])];

    // Act
    const answers = await Promise.all(methods.map((m) => answer(handler, request(routeKey(name), m))));

    // Assert: the page says why (a HEAD gets it without the body); nothing was read or written for it.
    answers.forEach((res, i) => {
      expect(res.statusCode).toBe(405);
      expect(res.headers?.Allow).toBe(ALLOW[name]);
      expect(res.body).toEqual(methods[i] === 'HEAD' ? '' : expect.stringContaining('Not possible here'));
    });
    expect(world.trail.size + world.sessions.size + world.limits.size).toBe(0);
  });

  it('answers HEAD as GET, without the body', async () => {
    // Act
    const [get, head] = await Promise.all(['GET', 'HEAD'].map((m) => answer(handler, request(routeKey('stylesheet'), m, ROUTES.stylesheet.path))));

    // Assert
    expect(get).toMatchObject({ statusCode: 200, body: PORTAL_CSS });
    expect(head).toMatchObject({ statusCode: 200, body: '' });
    expect(head?.headers).toEqual(get?.headers);
  });

  it('answers a route key it does not know with the 404 page', async () => {
    const res = await answer(handler, request('ANY /wp-admin', 'GET', '/wp-admin'));

    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });

  it('sends the security headers of functions/http/security-headers.ts on a page, a 404, a 405 and the stylesheet', async () => {
    // Prepare: what the module says a page and a stylesheet get.
    const [page, css] = await Promise.all([securityHeaders(PORTAL_URL), securityHeaders(PORTAL_URL, 'text/css; charset=utf-8')]);

    // Act
    const pages = await Promise.all([
      answer(handler, request(routeKey('access'), 'GET', '/access')),
      answer(handler, request('ANY /nowhere', 'GET', '/nowhere')),
      answer(handler, request(routeKey('logout'), 'GET', '/logout')),
    ]);
    const stylesheet = await answer(handler, request(routeKey('stylesheet'), 'GET', ROUTES.stylesheet.path));

    // Assert: every one of them, as the module writes them (https: with HSTS; a CSP on pages).
    expect(page).toMatchObject({ 'Strict-Transport-Security': 'max-age=31536000', 'Content-Security-Policy': expect.stringContaining("default-src 'none'") });
    for (const res of pages) expect(res.headers).toMatchObject(page);
    expect(stylesheet.headers).toMatchObject(css);
  });
});

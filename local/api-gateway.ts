/**
 * Local stand-in for the API Gateway HTTP API: a request becomes the payload-v2 event the
 * deployed function gets (route key and path parameters from shared/web/routes.ts, cookies as a
 * list, the body base64-encoded unless it is UTF-8 text), and the function's answer becomes the
 * response (status, headers, each cookie its own Set-Cookie). A path no route matches gets API
 * Gateway's own 404, before any function runs.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { matchRoute, routeKey, type RouteName } from '../shared/web/routes.js';
import { readBody } from './http-peer.js';

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(x-www-form-urlencoded|json|xml))/i;

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export function apiGatewayEvent(req: IncomingMessage, body: Buffer, name: RouteName, params: Record<string, string>, url = new URL(req.url ?? '/', 'http://local')): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (key === 'cookie' || value === undefined) continue;
    headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).filter(Boolean);
  const text = TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  const key = routeKey(name);
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.byteLength ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.byteLength > 0 && !text,
  };
}

/** A node:http request handler that runs `handler` as API Gateway would. */
export function apiGateway(handler: HttpHandler, context: () => Context, log: (line: string) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Parsed once per request: the event is built from the same URL (a profile under load showed it twice).
    const url = new URL(req.url ?? '/', 'http://local');
    const route = matchRoute(url.pathname);
    const body = await readBody(req, MAX_BODY_BYTES);
    if (!route) return json(res, 404, { message: 'Not Found' });
    if (body === undefined) return json(res, 413, { message: 'Request Entity Too Large' });
    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = await handler(apiGatewayEvent(req, body, route.name, route.params, url), context());
    } catch (e) {
      // API Gateway answers a failed integration like this; the function's own log says why.
      log(`http ${route.name}: the function failed: ${(e as Error).message}`);
      return json(res, 500, { message: 'Internal Server Error' });
    }
    // Lambda hands API Gateway the result as JSON, where a header set to undefined is no header at
    // all (middy's security headers remove Server and X-Powered-By that way): the same here.
    const headers: Record<string, string | string[]> = Object.fromEntries(
      Object.entries(result.headers ?? {})
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]),
    );
    if (result.cookies?.length) headers['set-cookie'] = result.cookies;
    res.writeHead(result.statusCode ?? 200, headers);
    // A text body goes out as the string it is: no copy into a Buffer first.
    res.end(result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

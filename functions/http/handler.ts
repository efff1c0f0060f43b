/**
 * API Gateway HTTP API (payload v2) → the route's handler → a page. The route table is
 * shared/web/routes.ts (path and methods); each route's handler lives with its area under
 * routes/ (link, code, portal, self-service, static). A route the table has and no handler answers is a
 * type error below. Here: the 404 of an unknown route key, the 405 (with Allow) of a method the
 * route does not take, HEAD answered as GET without the body, the 4xx page of a refused request,
 * the 500 of anything else, and the security headers (security-headers.ts) on all.
 *
 * What never happens here: a raw path, query string or cookie in a log (the path of a link holds a
 * token, the cookie a session id); a redirect outside the portal; a token spent by a GET, by a
 * form posted from another site, or by a request the portal cannot read (each answered with its
 * 4xx page first).
 */
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { acceptedLanguage, clientHint, clientKind, HttpRequestError, sessionCookie } from '../../shared/web/http.js';
import { allowedMethods, ROUTES, routeKey, routeMethod, type RouteName } from '../../shared/web/routes.js';
import type { HttpDeps } from './deps.js';
import { errorResponse, refusedResponse, type Request, type Result, type RouteHandlers } from './request.js';
import { codeRoutes } from './routes/code.js';
import { linkRoutes } from './routes/link.js';
import { portalRoutes } from './routes/portal.js';
import { selfServiceRoutes } from './routes/self-service.js';
import { staticRoutes } from './routes/static.js';
import { securityHeadersMiddleware } from './security-headers.js';

const HANDLERS: RouteHandlers = { ...linkRoutes, ...codeRoutes, ...portalRoutes, ...selfServiceRoutes, ...staticRoutes };

const ROUTE_BY_KEY = new Map((Object.keys(ROUTES) as RouteName[]).map((name) => [routeKey(name), name]));

/** Calls the route's handler with a method it takes, or answers 405 naming the ones it does. */
function dispatch<N extends RouteName>(name: N, request: Request, method: string): Promise<Result> | Result {
  const allowed = routeMethod(name, method);
  if (!allowed) {
    const result = errorResponse(request, 405, 'methodNotAllowed');
    return { ...result, headers: { ...result.headers, Allow: allowedMethods(name).join(', ') } };
  }
  const handler: RouteHandlers[N] = HANDLERS[name];
  return handler(request, allowed);
}

export function makeHandler(deps: HttpDeps) {
  const cookie = sessionCookie(deps.config);

  async function handle(event: APIGatewayProxyEventV2, context?: Context): Promise<Result> {
    const route = ROUTE_BY_KEY.get(event.routeKey);
    // The route key names the pattern (`ANY /link/{ticket}/{token}`), never the token itself.
    const log = deps.logger.withKeys({ route: event.routeKey, ...(context ? { function_request_id: context.awsRequestId } : {}) });
    const method = event.requestContext?.http?.method ?? 'GET';
    const browserLanguage = acceptedLanguage(event, deps.config);
    const client = { hint: clientHint(event), kind: clientKind(event), requestId: event.requestContext?.requestId };
    const request: Request = { event, deps: { ...deps, logger: log }, language: browserLanguage ?? deps.config.DefaultLanguage, browserLanguage, client, cookie };
    try {
      if (!route) return errorResponse(request, 404, 'notFound');
      const result = await dispatch(route, request, method);
      // HEAD answers as GET does, without the body.
      return method === 'HEAD' ? { ...result, body: '' } : result;
    } catch (e) {
      if (e instanceof HttpRequestError) {
        deps.metrics.count('BadRequest');
        log.info('Request refused', { status: e.status, reason: e.message });
        return refusedResponse(request, e);
      }
      deps.metrics.count('HttpFailed');
      log.error('Request failed', e as Error);
      return errorResponse(request, 500, 'serverError');
    }
  }

  return Object.assign(middy(handle).use(securityHeadersMiddleware(deps.config.PortalUrl)).use(logMetrics(deps.powertools.metrics)), { handle });
}

/**
 * API Gateway HTTP API (payload v2) → the link and portal use cases → a page. Routes come from
 * shared/web/routes.ts; each takes ANY method, so a PUT gets a clear 405 page from here.
 *
 * What never happens here: a raw path, query string or cookie in a log (the path of a link holds a
 * token, the cookie a session id); a redirect outside the portal; a token spent by a GET, by a
 * form posted from another site, or by a request the portal cannot read (each answered with its
 * 4xx page first). Every page: no-store, and the security headers of security-headers.ts.
 */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localize, type Language } from '../../shared/config.js';
import type { ClientRef, Session } from '../../shared/domain/model.js';
import { resolveSession, signOut } from '../../shared/use-cases/portal-session.js';
import { openLink } from '../../shared/use-cases/open-link.js';
import { redeemLink } from '../../shared/use-cases/redeem-link.js';
import { replyInPortal } from '../../shared/use-cases/reply-in-portal.js';
import { requestLink } from '../../shared/use-cases/request-link.js';
import { listTickets, showTicket } from '../../shared/use-cases/show-tickets.js';
import {
  acceptedLanguage,
  clearSessionCookie,
  clientHint,
  cookies,
  csrfToken,
  formFields,
  HttpRequestError,
  isSameOriginPost,
  page,
  seeOther,
  sessionCookie,
  setSessionCookie,
} from '../../shared/web/http.js';
import { accessPage, accessSentPage, errorPage, landingPage, messagePage, REPLY_MAX_CHARS, signedOutPage, ticketListPage, ticketPage, FORM_FIELDS } from '../../shared/web/pages.js';
import { PORTAL_CSS } from '../../shared/web/portal-css.js';
import { ROUTES, routeKey, type RouteName } from '../../shared/web/routes.js';
import { texts, type ErrorKind } from '../../shared/web/texts.js';
import type { HttpDeps } from './deps.js';
import { securityHeadersMiddleware } from './security-headers.js';

type Result = APIGatewayProxyStructuredResultV2;
type Request = { event: APIGatewayProxyEventV2; deps: HttpDeps; language: Language; client: ClientRef; cookie: ReturnType<typeof sessionCookie> };

const METHODS: Record<RouteName, string[]> = {
  home: ['GET', 'HEAD'],
  link: ['GET', 'HEAD', 'POST'],
  tickets: ['GET', 'HEAD'],
  ticket: ['GET', 'HEAD'],
  reply: ['POST'],
  logout: ['POST'],
  access: ['GET', 'HEAD', 'POST'],
  stylesheet: ['GET', 'HEAD'],
};
const ROUTE_BY_KEY = new Map((Object.keys(ROUTES) as RouteName[]).map((name) => [routeKey(name), name]));
const HOUR_S = 3600;

export function makeHandler(deps: HttpDeps) {
  const { metrics } = deps.powertools;
  const cookie = sessionCookie(deps.config);

  async function handle(event: APIGatewayProxyEventV2, context?: Context): Promise<Result> {
    const route = ROUTE_BY_KEY.get(event.routeKey);
    // The route key names the pattern (`ANY /link/{ticket}/{token}`), never the token itself.
    const log = deps.logger.withKeys({ route: event.routeKey, ...(context ? { function_request_id: context.awsRequestId } : {}) });
    const method = event.requestContext?.http?.method ?? 'GET';
    const request: Request = { event, deps: { ...deps, logger: log }, language: acceptedLanguage(event, deps.config) ?? deps.config.DefaultLanguage, client: { hint: clientHint(event), requestId: event.requestContext?.requestId }, cookie };
    try {
      if (!route) return errorResponse(request, 404, 'notFound');
      if (!METHODS[route].includes(method)) {
        const result = errorResponse(request, 405, 'methodNotAllowed');
        return { ...result, headers: { ...result.headers, Allow: METHODS[route].join(', ') } };
      }
      const result = await ROUTE_HANDLERS[route](request, method === 'HEAD' ? 'GET' : method);
      // HEAD answers as GET does, without the body.
      return method === 'HEAD' ? { ...result, body: '' } : result;
    } catch (e) {
      if (e instanceof HttpRequestError) {
        deps.metrics.count('BadRequest');
        log.info('Request refused', { status: e.status, reason: e.message });
        return errorResponse(request, e.status, ERROR_KINDS[e.status]);
      }
      deps.metrics.count('HttpFailed');
      log.error('Request failed', e as Error);
      return errorResponse(request, 500, 'serverError');
    }
  }

  return Object.assign(middy(handle).use(securityHeadersMiddleware(deps.config.PortalUrl)).use(logMetrics(metrics)), { handle });
}

const ERROR_KINDS: Record<HttpRequestError['status'], ErrorKind> = { 400: 'badRequest', 403: 'crossSiteForm', 404: 'notFound', 405: 'methodNotAllowed', 413: 'payloadTooLarge', 415: 'unsupportedMediaType' };

function ctx(r: Request, language = r.language) {
  return { language, supportName: r.deps.config.SupportName };
}

function errorResponse(r: Request, status: number, kind: ErrorKind): Result {
  return page(status, errorPage(ctx(r), kind, { offerNewLink: kind === 'notFound' || kind === 'crossSiteForm' }));
}

/** A form post is read only after it proved to come from the portal itself. */
function postedForm(r: Request): Map<string, string> {
  if (!isSameOriginPost(r.event, r.deps.config.PortalUrl)) {
    r.deps.metrics.count('CrossSiteRefused');
    throw new HttpRequestError(403, 'form posted from another origin');
  }
  return formFields(r.event);
}

async function currentSession(r: Request): Promise<{ session: Session; id: string } | undefined> {
  const id = cookies(r.event).get(r.cookie.name);
  const session = await resolveSession(r.deps, id, r.client);
  return session && id ? { session, id } : undefined;
}

const LINK_STATUS = { CustomerErrorMessageLinkExpired: 410, CustomerErrorMessageWrongLink: 409, CustomerErrorMessageNewLink: 200, CustomerErrorMessageRefreshFailed: 503 } as const;

const ROUTE_HANDLERS: Record<RouteName, (r: Request, method: string) => Promise<Result>> = {
  async stylesheet() {
    return { statusCode: 200, headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }, body: PORTAL_CSS };
  },

  async home(r) {
    const current = await currentSession(r);
    if (current) return seeOther(current.session.scope === 'ticket' ? `/tickets/${current.session.ticketNumber}` : '/tickets');
    return page(200, signedOutPage(ctx(r)));
  },

  async link(r, method) {
    const ticketNumber = r.event.pathParameters?.ticket ?? '';
    const token = r.event.pathParameters?.token ?? '';
    if (method === 'GET') {
      if ((await openLink(r.deps, { ticketNumber, token, client: r.client })) === 'malformed') return linkOutcome(r, 'CustomerErrorMessageLinkExpired');
      return page(200, landingPage(ctx(r), { ticketNumber, formAction: `/link/${ticketNumber}/${token}` }));
    }
    postedForm(r);
    const outcome = await redeemLink(r.deps, { ticketNumber, token, client: r.client });
    if (!outcome.redeemed) return linkOutcome(r, outcome.messageKey, outcome.language);
    const maxAge = r.deps.config.SessionAbsoluteHours * HOUR_S;
    return seeOther(`/tickets/${outcome.ticketNumber}`, [setSessionCookie(r.cookie, outcome.sessionId, maxAge)]);
  },

  async tickets(r) {
    const current = await currentSession(r);
    if (!current) return page(403, signedOutPage(ctx(r)), { cookies: [clearSessionCookie(r.cookie)] });
    const { session } = current;
    const tickets = await listTickets(r.deps, session);
    r.deps.metrics.count('PortalPageShown');
    return page(200, ticketListPage(ctx(r, session.language), { customerEmail: session.customerLogin, tickets, csrfToken: csrfToken(current.id) }));
  },

  async ticket(r) {
    const current = await currentSession(r);
    if (!current) return page(403, signedOutPage(ctx(r)), { cookies: [clearSessionCookie(r.cookie)] });
    const { session } = current;
    const view = await showTicket(r.deps, session, r.event.pathParameters?.number ?? '');
    if (!view) {
      r.deps.metrics.count('TicketNotFound');
      return page(404, errorPage(ctx(r, session.language), 'notFound', { signInLink: true }));
    }
    r.deps.metrics.count('PortalPageShown');
    return page(200, ticketPage(ctx(r, session.language), { ...view, csrfToken: csrfToken(current.id), showListLink: session.scope === 'customer' }));
  },

  async reply(r) {
    const form = postedForm(r);
    const current = await currentSession(r);
    if (!current) return page(403, signedOutPage(ctx(r)));
    if (form.get(FORM_FIELDS.csrf) !== csrfToken(current.id)) throw new HttpRequestError(403, 'reply without the session’s form token');
    const text = (form.get(FORM_FIELDS.replyText) ?? '').replace(/\r\n?/g, '\n').trim();
    if (!text || text.length > REPLY_MAX_CHARS) throw new HttpRequestError(400, `reply of ${text.length} characters`);
    const number = r.event.pathParameters?.number ?? '';
    const outcome = await replyInPortal(r.deps, current.session, number, text);
    if (outcome === 'not-found') return page(404, errorPage(ctx(r, current.session.language), 'notFound', { signInLink: true }));
    if (outcome === 'closed') {
      const t = texts(current.session.language);
      return page(409, messagePage(ctx(r, current.session.language), { title: t.errors.methodNotAllowed.title, message: t.ticketPage.cannotReply('closed'), offerNewLink: false, signInLink: true }));
    }
    return seeOther(`/tickets/${number}#latest`);
  },

  async logout(r) {
    const form = postedForm(r);
    const current = await currentSession(r);
    if (current) {
      if (form.get(FORM_FIELDS.csrf) !== csrfToken(current.id)) throw new HttpRequestError(403, 'sign-out without the session’s form token');
      await signOut(r.deps, current.session, r.client);
    }
    return page(200, signedOutPage(ctx(r, current?.session.language)), { cookies: [clearSessionCookie(r.cookie)] });
  },

  async access(r, method) {
    if (method === 'GET') return page(200, accessPage(ctx(r)));
    const form = postedForm(r);
    const http = r.event.requestContext?.http;
    const outcome = await requestLink(r.deps, {
      ticketNumber: (form.get(FORM_FIELDS.ticketNumber) ?? '').slice(0, 64),
      email: (form.get(FORM_FIELDS.email) ?? '').slice(0, 254),
      sourceIp: http?.sourceIp ?? '',
      client: r.client.hint,
      requestId: r.client.requestId ?? randomUUID(),
    });
    r.deps.logger.info('Self-service request', { outcome });
    // One page for every outcome: it must not tell whether the ticket and the address belong together.
    return page(200, accessSentPage(ctx(r)));
  },
};

/** The page a link's button leads to when it opens nothing, in the customer's language when known. */
function linkOutcome(r: Request, key: keyof typeof LINK_STATUS, language?: Language): Result {
  const lang = language ?? r.language;
  const message = localize(r.deps.config[key], lang, r.deps.config.DefaultLanguage);
  return page(LINK_STATUS[key], messagePage(ctx(r, lang), { title: texts(lang).linkOutcome[key], message, offerNewLink: key !== 'CustomerErrorMessageNewLink' }));
}



/**
 * What every route handler of the HTTP function is given and shares: the request as read once
 * (the customer's language, the coarse client, the session cookie's name), the handler types the
 * route table is checked against, and the answers more than one area gives.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Language } from '../../shared/config.js';
import type { ClientRef } from '../../shared/domain/model.js';
import type { UploadedFile } from '../../shared/use-cases/reply-in-portal.js';
import type { Form } from '../../shared/web/forms.js';
import { formFields, header, HttpRequestError, isSameOriginPost, page, type SessionCookie } from '../../shared/web/http.js';
import { errorPage, type PageContext } from '../../shared/web/pages.js';
import type { RouteMethod, RouteName } from '../../shared/web/routes.js';
import type { ErrorKind } from '../../shared/web/texts.js';
import type { HttpDeps } from './deps.js';

export type Result = APIGatewayProxyStructuredResultV2;

export interface Request {
  event: APIGatewayProxyEventV2;
  deps: HttpDeps;
  /** From Accept-Language, else the configured default; a session's own language wins where there is one. */
  language: Language;
  /** The browser's own language (Accept-Language), where it names one the portal speaks. */
  browserLanguage?: Language;
  client: ClientRef;
  cookie: SessionCookie;
}

/** A route's handler, called only with a method the route takes (HEAD as GET). */
export type RouteHandler<N extends RouteName> = (r: Request, method: RouteMethod<N>) => Promise<Result>;

/** Handlers for some routes, by name: what an area module exports. */
export type RouteHandlers<N extends RouteName = RouteName> = { [K in N]: RouteHandler<K> };

export function ctx(r: Request, language: Language = r.language): PageContext {
  return { language, supportName: r.deps.config.SupportName, timeZone: r.deps.config.PortalTimeZone };
}

export function errorResponse(r: Request, status: number, kind: ErrorKind): Result {
  return page(status, errorPage(ctx(r), kind, { offerNewLink: kind === 'notFound' || kind === 'crossSiteForm' }));
}

const KIND_OF: Record<HttpRequestError['status'], ErrorKind> = { 400: 'badRequest', 403: 'crossSiteForm', 404: 'notFound', 405: 'methodNotAllowed', 413: 'payloadTooLarge', 415: 'unsupportedMediaType' };

/** The 4xx page of a request the portal refuses. */
export const refusedResponse = (r: Request, e: HttpRequestError): Result => errorResponse(r, e.status, KIND_OF[e.status]);

/** A form post is read only after it proved to come from the portal itself. */
export function postedForm(r: Request): Form {
  sameOriginOnly(r);
  return formFields(r.event);
}

/**
 * A reply form: multipart/form-data with its files (ReplyAttachments), or form-encoded text alone.
 * The multipart parser is imported on first use: no other route loads it.
 */
export async function postedReply(r: Request): Promise<{ fields: Form; files: UploadedFile[] }> {
  sameOriginOnly(r);
  const type = (header(r.event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'multipart/form-data') return { fields: formFields(r.event), files: [] };
  const { readMultipart } = await import('./multipart.js');
  return readMultipart(r.event, r.deps.config.ReplyAttachments);
}

function sameOriginOnly(r: Request): void {
  if (!isSameOriginPost(r.event, r.deps.config.PortalUrl)) {
    r.deps.metrics.count('CrossSiteRefused');
    throw new HttpRequestError(403, 'form posted from another origin');
  }
}

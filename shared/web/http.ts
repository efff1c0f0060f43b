/**
 * The HTTP side of the portal, independent of any use case: reading an API Gateway v2 request
 * (cookies, strict form bodies, the origin of a form post, the customer's language, a coarse
 * client hint) and building responses (pages, redirects, the session cookie). Nothing here logs:
 * a request's path, query string and cookies may hold a token or a session id.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LANGUAGES, type Config, type Language } from '../config.js';
import type { ClientKind } from '../domain/model.js';
import { OtaError } from '../errors.js';

/** A request the portal answers with a 4xx page; `kind` picks the page. */
export class HttpRequestError extends OtaError {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** Largest form body accepted: a reply of 20 000 characters, each up to 9 bytes percent-encoded. */
export const MAX_FORM_BYTES = 200_000;

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name] ?? event.headers?.[name.toLowerCase()];
}

/** Cookies of the request (API Gateway v2 hands them over as a list). */
export function cookies(event: APIGatewayProxyEventV2): Map<string, string> {
  const found = new Map<string, string>();
  const raw = event.cookies ?? (header(event, 'cookie')?.split(';') ?? []);
  for (const pair of raw) {
    const eq = pair.indexOf('=');
    if (eq > 0) found.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return found;
}

/**
 * A form post's fields, strictly: only application/x-www-form-urlencoded (415 otherwise), at most
 * MAX_FORM_BYTES (413), every value valid UTF-8 once percent-decoded (400). URLSearchParams would
 * silently turn broken UTF-8 into U+FFFD; a form we did not render gets a clear answer instead.
 */
export function formFields(event: APIGatewayProxyEventV2): Map<string, string> {
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpRequestError(415, `form posts must be application/x-www-form-urlencoded, not ${type || 'nothing'}`);
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.byteLength > MAX_FORM_BYTES) throw new HttpRequestError(413, `form body of ${body.byteLength} bytes`);
  const fields = new Map<string, string>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const pair of body.toString('latin1').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      const decode = (s: string) => utf8.decode(percentDecode(s.replace(/\+/g, ' ')));
      if (!fields.has(decode(name))) fields.set(decode(name), decode(value));
    } catch {
      throw new HttpRequestError(400, 'form field is not UTF-8');
    }
  }
  return fields;
}

function percentDecode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else throw new Error('raw non-ASCII byte in a form body');
  }
  return Uint8Array.from(out);
}

/**
 * A form post must come from the portal itself. Browsers name the page's origin (Origin) or say
 * whether it was same-origin (Sec-Fetch-Site); a post from another site is refused before any work.
 * A client that sends neither is no browser, so no victim's cookies ride along with it.
 */
export function isSameOriginPost(event: APIGatewayProxyEventV2, portalUrl: string): boolean {
  const origin = header(event, 'origin');
  const site = header(event, 'sec-fetch-site');
  // Our pages send `Referrer-Policy: no-referrer`, and under it a browser's form POST says `Origin:
  // null` (Fetch: "append a request Origin header"). Then only Sec-Fetch-Site can vouch for it.
  if (origin === 'null') return site === 'same-origin';
  if (origin !== undefined) return origin === new URL(portalUrl).origin;
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The first language of Accept-Language the portal speaks, by quality. */
export function acceptedLanguage(event: APIGatewayProxyEventV2, config: Pick<Config, 'Languages'>): Language | undefined {
  const offered = (header(event, 'accept-language') ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: (tag ?? '').toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return offered.map((l) => l.tag).find((tag): tag is Language => (LANGUAGES as readonly string[]).includes(tag) && (config.Languages as string[]).includes(tag));
}

/**
 * A coarse hint of who came, for the access trail: the browser family and the network, never a full address.
 * The address is API Gateway's view of the connection (requestContext), never a header a client sets.
 */
export function clientHint(event: APIGatewayProxyEventV2): string {
  const ua = header(event, 'user-agent') ?? '';
  const family =
    /\bEdg(e|A|iOS)?\//.test(ua) ? 'Edge'
    : /\bOPR\//.test(ua) ? 'Opera'
    : /\b(Chrome|CriOS|HeadlessChrome)\//.test(ua) ? 'Chrome'
    : /\b(Firefox|FxiOS)\//.test(ua) ? 'Firefox'
    : /\bSafari\//.test(ua) ? 'Safari'
    : /\bcurl\//.test(ua) ? 'curl'
    : /bot|crawl|spider|scan|preview|safelinks|proofpoint|mimecast/i.test(ua) ? 'link scanner'
    : 'other client';
  const network = truncateIp(event.requestContext?.http?.sourceIp ?? '');
  return network ? `${family}, ${network}` : family;
}

/**
 * What a client says it is, when that is not a person's browser: a mail security scanner (Safe
 * Links, Proofpoint, Mimecast, Barracuda, …) or a headless browser (a sandbox "detonating" the
 * link). The trail words such visits as what they are. Only what the client says: a scanner that
 * poses as a desktop browser is counted as one.
 */
export function clientKind(event: APIGatewayProxyEventV2): ClientKind | undefined {
  const ua = header(event, 'user-agent') ?? '';
  if (/safelinks|proofpoint|mimecast|barracuda|symantec|messagelabs|trendmicro|fortiguard|ironport|sophos|zscaler|forcepoint|avanan|checkpoint|appriver|link ?scan|url ?scan|urldefense/i.test(ua)) return 'mail-scanner';
  if (/HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|webdriver|headless/i.test(ua)) return 'headless-browser';
  return undefined;
}

/** 203.0.113.7 → 203.0.113.0/24; 2001:db8:1:2:3::4 → 2001:db8:1::/48. */
export function truncateIp(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip.replace(/^::ffff:/, ''));
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!ip.includes(':')) return undefined;
  const [head] = ip.split('::');
  const groups = (head ?? '').split(':').filter(Boolean);
  while (groups.length < 3) groups.push('0');
  return `${groups.slice(0, 3).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/48`;
}

export interface SessionCookie {
  name: string;
  secure: boolean;
}

/** `__Host-` and Secure when the portal is https: the cookie then cannot be set or read by a subdomain. */
export function sessionCookie(config: Pick<Config, 'PortalUrl'>): SessionCookie {
  const secure = config.PortalUrl.startsWith('https:');
  return { name: secure ? '__Host-ota_session' : 'ota_session', secure };
}

export function setSessionCookie(c: SessionCookie, value: string, maxAgeSeconds: number): string {
  return `${c.name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${c.secure ? '; Secure' : ''}`;
}

export function clearSessionCookie(c: SessionCookie): string {
  return setSessionCookie(c, '', 0);
}

/**
 * The landing page's nonce cookie: what tells the same browser's second click of the button (a
 * double-click) from anyone else's. A scanner's browser has a nonce of its own. Ten minutes: time
 * enough to read the page before pressing the button.
 */
export const LANDING_NONCE_SECONDS = 600;

export function landingCookieName(c: SessionCookie): string {
  return c.secure ? '__Host-ota_landing' : 'ota_landing';
}

export function setLandingCookie(c: SessionCookie, nonce: string): string {
  return `${landingCookieName(c)}=${nonce}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${LANDING_NONCE_SECONDS}${c.secure ? '; Secure' : ''}`;
}

/** The token a session's forms carry: derived from the session id, so only its holder can make it. */
export function csrfToken(sessionId: string): string {
  return createHash('sha256').update(`csrf:${sessionId}`).digest('base64url');
}

const NO_STORE = { 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8' };

export function page(status: number, html: string, extra: { cookies?: string[]; headers?: Record<string, string> } = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { ...NO_STORE, ...extra.headers }, body: html, ...(extra.cookies ? { cookies: extra.cookies } : {}) };
}

/**
 * 303 to a download URL the system built itself (a presigned S3 URL, shared/adapters/s3/file-links.ts),
 * never to anything a request named: the one redirect that leaves the portal, and only to its files.
 */
export function seeDownload(url: string): APIGatewayProxyStructuredResultV2 {
  if (!/^https?:\/\//.test(url)) throw new Error('Not a download URL');
  return { statusCode: 303, headers: { 'Cache-Control': 'no-store', Location: url }, body: '' };
}

/** 303 to one of our own paths: a redirect never leaves the portal (no open redirect). */
export function seeOther(path: string, cookies?: string[]): APIGatewayProxyStructuredResultV2 {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`Not a portal path: ${path}`);
  return { statusCode: 303, headers: { 'Cache-Control': 'no-store', Location: path }, body: '', ...(cookies ? { cookies } : {}) };
}

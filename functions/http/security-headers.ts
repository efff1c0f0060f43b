/**
 * The security headers of every answer the portal gives, owned here: the HTTP function's
 * middleware is made here, and tests serve and check pages with the very headers it writes. It
 * lives with the function, not in shared/web/, because it is Lambda tooling (the layer rule).
 *
 * @middy/http-security-headers writes helmet's defaults (nosniff, COOP/COEP/CORP, a deny-all
 * Permissions-Policy, no-referrer, …), the page-only ones (CSP, framing, COOP/COEP/CORP,
 * Permissions-Policy) on HTML answers only; we narrow the CSP and take out what would hurt:
 * - CSP: no script at all, our own stylesheet and forms only, never framed, no <base>. No
 *   `sandbox` (a sandboxed page could not post our forms), no reporting (nothing receives it), and
 *   not middy 6's `navigate-to` and `trusted-types 'none'`, which browsers dropped or warn about.
 * - `upgrade-insecure-requests` and HSTS only when the portal is https: a plain-http local portal
 *   must stay reachable.
 * - Referrer-Policy no-referrer: a link's path holds its token.
 * - No X-XSS-Protection: the retired auditor did more harm than good (middy 7 dropped it).
 */
import httpSecurityHeaders from '@middy/http-security-headers';

/** The CSP the pages are written for (shared/web/pages.ts): no script, no inline style. */
export const CSP_DIRECTIVES = {
  'default-src': "'none'",
  'style-src': "'self'",
  'img-src': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
  'base-uri': "'none'",
} as const;

const YEAR_S = 31_536_000;

function options(portalUrl: string) {
  const https = portalUrl.startsWith('https:');
  // The middleware merges these over its defaults: undefined removes a default directive.
  const csp = { ...CSP_DIRECTIVES, sandbox: undefined, 'report-to': undefined, 'navigate-to': undefined, 'trusted-types': undefined, ...(https ? {} : { 'upgrade-insecure-requests': undefined }) };
  return {
    contentSecurityPolicy: csp as unknown as Record<string, string>,
    frameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: YEAR_S, includeSubDomains: false, preload: false } : false,
    reportTo: false,
    xssProtection: false,
    // Read by middy 6 but missing from its types: without it an empty Reporting-Endpoints header goes out.
    reportingEndpoints: false,
  };
}

/** The middleware that adds the headers to every answer of the HTTP function. */
export function securityHeadersMiddleware(portalUrl: string) {
  return httpSecurityHeaders(options(portalUrl));
}

const PAGE = 'text/html; charset=utf-8';

/**
 * The headers the middleware adds to an answer of this content type (a page unless said
 * otherwise), by name: what a test serves a page with, or expects on an answer.
 */
export async function securityHeaders(portalUrl: string, contentType = PAGE): Promise<Record<string, string>> {
  const request = { response: { statusCode: 200, headers: { 'Content-Type': contentType } as Record<string, string | undefined> } };
  await securityHeadersMiddleware(portalUrl).after?.(request as never);
  const { 'Content-Type': _ours, ...added } = request.response.headers;
  // The middleware removes Server and X-Powered-By by setting them undefined: they are not sent.
  return Object.fromEntries(Object.entries(added).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

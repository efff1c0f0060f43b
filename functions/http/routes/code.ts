/**
 * `/code`: sign in with the code from a mail (docs/links-and-portal.md, "Sign-in codes"). The
 * form, and its post: a session and `303` to the ticket, or one neutral page for every code that
 * opened nothing, or the page that says when to try again. Guarded like every form (same origin).
 * The use case is imported on the first post, so the landing page's cold start does not load it
 * (nor the code key's client: shared/code-key.ts).
 */
import { randomUUID } from 'node:crypto';
import { codeFields } from '../../../shared/web/forms.js';
import { page, seeOther, setSessionCookie } from '../../../shared/web/http.js';
import { codeLockedPage, codePage, codeRefusedPage } from '../../../shared/web/pages.js';
import { pathOf } from '../../../shared/web/routes.js';
import { ctx, postedForm, type RouteHandlers } from '../request.js';

const HOUR_S = 3600;

export const codeRoutes: RouteHandlers<'code'> = {
  async code(r, method) {
    if (method === 'GET') return page(200, codePage(ctx(r)));
    const form = postedForm(r);
    const { signInWithCode } = await import('../../../shared/use-cases/sign-in-with-code.js');
    const outcome = await signInWithCode(r.deps, {
      ...codeFields(form),
      sourceIp: r.event.requestContext?.http?.sourceIp ?? '',
      requestId: r.client.requestId ?? randomUUID(),
      client: r.client,
      language: r.browserLanguage,
    });
    if (outcome.signedIn) {
      return seeOther(pathOf('ticket', { number: outcome.ticketNumber }), [setSessionCookie(r.cookie, outcome.sessionId, r.deps.config.SessionAbsoluteHours * HOUR_S)]);
    }
    if (outcome.reason === 'rate-limited') {
      const retryAfter = Math.max(1, Math.ceil((Date.parse(outcome.until) - r.deps.clock.now().getTime()) / 1000));
      return page(429, codeLockedPage(ctx(r), { until: outcome.until }), { headers: { 'Retry-After': String(retryAfter) } });
    }
    // Wrong, used, superseded, unknown or malformed: one answer, which never says which part was wrong.
    return page(403, codeRefusedPage(ctx(r), { ticketNumber: outcome.ticketNumber }));
  },
};

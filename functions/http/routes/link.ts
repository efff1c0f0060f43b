/**
 * `/link/{ticket}/{token}`: the link in a customer's mail (docs/links-and-portal.md, "GET shows,
 * POST spends"). Its GET shows a page with one button and spends nothing — mail scanners fetch
 * links before the person does — and hands the browser a nonce cookie; the button's POST spends
 * it and starts a session, or ends on the page of the reason it opened nothing. A browser signed
 * in to a session that opens the ticket goes straight to it, on either method.
 */
import { localize, type Language } from '../../../shared/config.js';
import type { CustomerMessageKey } from '../../../shared/domain/model.js';
import { openLink } from '../../../shared/use-cases/open-link.js';
import { resolveSession, sessionOpens } from '../../../shared/use-cases/portal-session.js';
import { redeemLink } from '../../../shared/use-cases/redeem-link.js';
import { cookies, landingCookieName, page, seeOther, setLandingCookie, setSessionCookie } from '../../../shared/web/http.js';
import { codeOfferedPage, landingPage, messagePage } from '../../../shared/web/pages.js';
import { pathOf } from '../../../shared/web/routes.js';
import { texts } from '../../../shared/web/texts.js';
import { ctx, postedForm, type Request, type Result, type RouteHandlers } from '../request.js';

const HOUR_S = 3600;
const NONCE_BYTES = 16;

/** The status of each page a link's button leads to when it opens nothing. */
const LINK_STATUS: Record<CustomerMessageKey, number> = {
  CustomerErrorMessageLinkExpired: 410,
  CustomerErrorMessageWrongLink: 409,
  CustomerErrorMessageNewLink: 200,
  CustomerErrorMessageRefreshFailed: 503,
};

export const linkRoutes: RouteHandlers<'link'> = {
  async link(r, method) {
    const ticketNumber = r.event.pathParameters?.ticket ?? '';
    const token = r.event.pathParameters?.token ?? '';
    if (method === 'POST') postedForm(r);
    if (await signedInTo(r, ticketNumber)) {
      r.deps.metrics.count('LinkSignedInAlready');
      return seeOther(pathOf('ticket', { number: ticketNumber }));
    }
    if (method === 'GET') {
      if ((await openLink(r.deps, { ticketNumber, token, client: r.client })) === 'malformed') return linkOutcome(r, 'CustomerErrorMessageLinkExpired');
      const nonce = r.deps.random.bytes(NONCE_BYTES).toString('base64url');
      return page(200, landingPage(ctx(r), { ticketNumber, formAction: pathOf('link', { ticket: ticketNumber, token }) }), { cookies: [setLandingCookie(r.cookie, nonce)] });
    }
    const nonce = cookies(r.event).get(landingCookieName(r.cookie));
    const outcome = await redeemLink(r.deps, { ticketNumber, token, client: r.client, nonce, language: r.browserLanguage });
    if (outcome.redeemed) {
      const maxAge = r.deps.config.SessionAbsoluteHours * HOUR_S;
      return seeOther(pathOf('ticket', { number: outcome.ticketNumber }), [setSessionCookie(r.cookie, outcome.sessionId, maxAge)]);
    }
    // Nothing was mailed: the person has the code of the mail (a scanner may have pressed the button).
    if (outcome.codeOffered) return page(409, codeOfferedPage(ctx(r, outcome.language ?? r.language), outcome.codeOffered));
    return linkOutcome(r, outcome.messageKey, outcome.language);
  },
};

/** The browser holds a live session that opens this ticket: the link's work is done already. */
async function signedInTo(r: Request, ticketNumber: string): Promise<boolean> {
  const id = cookies(r.event).get(r.cookie.name);
  if (!id) return false;
  const session = await resolveSession(r.deps, id, r.client);
  return session !== undefined && (await sessionOpens(r.deps, session, ticketNumber));
}

/** The page a link's button leads to when it opens nothing, in the ticket's declared language, else the browser's. */
function linkOutcome(r: Request, key: CustomerMessageKey, language?: Language): Result {
  const lang = language ?? r.language;
  const message = localize(r.deps.config[key], lang, r.deps.config.DefaultLanguage);
  return page(LINK_STATUS[key], messagePage(ctx(r, lang), { title: texts(lang).linkOutcome[key], message, offerNewLink: key !== 'CustomerErrorMessageNewLink', offerCode: true }));
}

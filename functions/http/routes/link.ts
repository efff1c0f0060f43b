/**
 * `/link/{ticket}/{token}`: the link in a customer's mail (docs/links-and-portal.md, "GET shows,
 * POST spends"). Its GET shows a page with one button and spends nothing — mail scanners fetch
 * links before the person does; the button's POST spends it and starts a session, or ends on the
 * page of the reason it opened nothing.
 */
import { localize, type Language } from '../../../shared/config.js';
import type { CustomerMessageKey } from '../../../shared/domain/model.js';
import { openLink } from '../../../shared/use-cases/open-link.js';
import { redeemLink } from '../../../shared/use-cases/redeem-link.js';
import { page, seeOther, setSessionCookie } from '../../../shared/web/http.js';
import { landingPage, messagePage } from '../../../shared/web/pages.js';
import { pathOf } from '../../../shared/web/routes.js';
import { texts } from '../../../shared/web/texts.js';
import { ctx, postedForm, type Request, type Result, type RouteHandlers } from '../request.js';

const HOUR_S = 3600;

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
    if (method === 'GET') {
      if ((await openLink(r.deps, { ticketNumber, token, client: r.client })) === 'malformed') return linkOutcome(r, 'CustomerErrorMessageLinkExpired');
      return page(200, landingPage(ctx(r), { ticketNumber, formAction: pathOf('link', { ticket: ticketNumber, token }) }));
    }
    postedForm(r);
    const outcome = await redeemLink(r.deps, { ticketNumber, token, client: r.client });
    if (!outcome.redeemed) return linkOutcome(r, outcome.messageKey, outcome.language);
    const maxAge = r.deps.config.SessionAbsoluteHours * HOUR_S;
    return seeOther(pathOf('ticket', { number: outcome.ticketNumber }), [setSessionCookie(r.cookie, outcome.sessionId, maxAge)]);
  },
};

/** The page a link's button leads to when it opens nothing, in the customer's language when known. */
function linkOutcome(r: Request, key: CustomerMessageKey, language?: Language): Result {
  const lang = language ?? r.language;
  const message = localize(r.deps.config[key], lang, r.deps.config.DefaultLanguage);
  return page(LINK_STATUS[key], messagePage(ctx(r, lang), { title: texts(lang).linkOutcome[key], message, offerNewLink: key !== 'CustomerErrorMessageNewLink' }));
}

/**
 * The signed-in portal (docs/links-and-portal.md, "Routes", "Sessions"): the start page, the
 * customer's tickets, one ticket, a reply to it, and signing out. Every page reads the session
 * first; without one it is the signed-out page. Forms carry the session's form token.
 */
import type { Session } from '../../../shared/domain/model.js';
import { resolveSession, signOut } from '../../../shared/use-cases/portal-session.js';
import { replyInPortal } from '../../../shared/use-cases/reply-in-portal.js';
import { listTickets, showTicket } from '../../../shared/use-cases/show-tickets.js';
import { replyText, requireFormToken } from '../../../shared/web/forms.js';
import { clearSessionCookie, cookies, csrfToken, page, seeOther } from '../../../shared/web/http.js';
import { errorPage, messagePage, signedOutPage, ticketListPage, ticketPage } from '../../../shared/web/pages.js';
import { pathOf } from '../../../shared/web/routes.js';
import { texts } from '../../../shared/web/texts.js';
import { ctx, postedForm, type Request, type RouteHandlers } from '../request.js';

async function currentSession(r: Request): Promise<{ session: Session; id: string } | undefined> {
  const id = cookies(r.event).get(r.cookie.name);
  const session = await resolveSession(r.deps, id, r.client);
  return session && id ? { session, id } : undefined;
}

export const portalRoutes: RouteHandlers<'home' | 'tickets' | 'ticket' | 'reply' | 'logout'> = {
  async home(r) {
    const current = await currentSession(r);
    if (current) return seeOther(current.session.scope === 'ticket' ? pathOf('ticket', { number: current.session.ticketNumber }) : pathOf('tickets'));
    return page(200, signedOutPage(ctx(r)));
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
    requireFormToken(form, current.id, 'reply');
    const text = replyText(form);
    const number = r.event.pathParameters?.number ?? '';
    const outcome = await replyInPortal(r.deps, current.session, number, text);
    if (outcome === 'not-found') return page(404, errorPage(ctx(r, current.session.language), 'notFound', { signInLink: true }));
    if (outcome === 'closed') {
      const t = texts(current.session.language);
      return page(409, messagePage(ctx(r, current.session.language), { title: t.errors.methodNotAllowed.title, message: t.ticketPage.cannotReply('closed'), offerNewLink: false, signInLink: true }));
    }
    return seeOther(`${pathOf('ticket', { number })}#latest`);
  },

  async logout(r) {
    const form = postedForm(r);
    const current = await currentSession(r);
    if (current) {
      requireFormToken(form, current.id, 'sign-out');
      await signOut(r.deps, current.session, r.client);
    }
    return page(200, signedOutPage(ctx(r, current?.session.language)), { cookies: [clearSessionCookie(r.cookie)] });
  },
};

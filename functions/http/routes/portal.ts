/**
 * The signed-in portal (docs/links-and-portal.md, "Routes", "Sessions", "The ticket page"): the
 * start page, the customer's tickets, one ticket (its newest messages, or older ones), one message
 * whole, a file of a message, a reply with its files, and signing out. Every page reads the session
 * first; without one it is the signed-out page. Forms carry the session's form token.
 */
import type { Session } from '../../../shared/domain/model.js';
import { downloadFile, filesKeptSince } from '../../../shared/use-cases/download-file.js';
import { resolveSession, signOut } from '../../../shared/use-cases/portal-session.js';
import { replyInPortal } from '../../../shared/use-cases/reply-in-portal.js';
import { isArticleId, listTickets, showArticle, showTicket } from '../../../shared/use-cases/show-tickets.js';
import { replyText, requireFormToken, UploadTooLargeError } from '../../../shared/web/forms.js';
import { clearSessionCookie, cookies, csrfToken, page, seeDownload, seeOther } from '../../../shared/web/http.js';
import { articlePage, errorPage, messagePage, signedOutPage, ticketListPage, ticketPage } from '../../../shared/web/pages.js';
import { pathOf } from '../../../shared/web/routes.js';
import { texts } from '../../../shared/web/texts.js';
import { ctx, postedForm, postedReply, type Request, type Result, type RouteHandlers } from '../request.js';

async function currentSession(r: Request): Promise<{ session: Session; id: string } | undefined> {
  const id = cookies(r.event).get(r.cookie.name);
  const session = await resolveSession(r.deps, id, r.client);
  return session && id ? { session, id } : undefined;
}

const signedOut = (r: Request): Result => page(403, signedOutPage(ctx(r)), { cookies: [clearSessionCookie(r.cookie)] });

function notFound(r: Request, session: Session): Result {
  r.deps.metrics.count('TicketNotFound');
  return page(404, errorPage(ctx(r, session.language), 'notFound', { signInLink: true }));
}

/** The reply's answer when its files are over ReplyAttachments: nothing was stored, and the page says the limits. */
function filesTooLarge(r: Request, e: UploadTooLargeError, session?: Session): Result {
  r.deps.metrics.count('ReplyFilesTooLarge');
  r.deps.logger.info('Reply refused: files over the limit', { reason: e.message });
  const t = texts(session?.language ?? r.language);
  const message = t.filesTooLarge.message(e.limits.MaxFiles, t.ticketPage.bytes(e.limits.MaxBytes));
  return page(413, messagePage(ctx(r, session?.language), { title: t.filesTooLarge.title, message, offerNewLink: false, signInLink: Boolean(session) }));
}

export const portalRoutes: RouteHandlers<'home' | 'tickets' | 'ticket' | 'message' | 'file' | 'reply' | 'logout'> = {
  async home(r) {
    const current = await currentSession(r);
    if (current) return seeOther(current.session.scope === 'ticket' ? pathOf('ticket', { number: current.session.ticketNumber }) : pathOf('tickets'));
    return page(200, signedOutPage(ctx(r)));
  },

  async tickets(r) {
    const current = await currentSession(r);
    if (!current) return signedOut(r);
    const { session } = current;
    const tickets = await listTickets(r.deps, session);
    r.deps.metrics.count('PortalPageShown');
    return page(200, ticketListPage(ctx(r, session.language), { customerEmail: session.customerLogin, tickets, csrfToken: csrfToken(current.id) }));
  },

  async ticket(r) {
    const current = await currentSession(r);
    if (!current) return signedOut(r);
    const { session } = current;
    const query = r.event.queryStringParameters ?? {};
    const before = isArticleId(query.before) ? query.before : undefined;
    const view = await showTicket(r.deps, session, r.event.pathParameters?.number ?? '', { before });
    if (!view) return notFound(r, session);
    r.deps.metrics.count('PortalPageShown');
    const { MaxFiles, MaxBytes } = r.deps.config.ReplyAttachments;
    return page(
      200,
      ticketPage(ctx(r, session.language), {
        ...view,
        viewer: r.client.hint,
        csrfToken: csrfToken(current.id),
        showListLink: session.scope === 'customer',
        showingOlder: before !== undefined,
        replySent: query.reply === 'sent' && before === undefined,
        files: { maxFiles: MaxFiles, maxBytes: MaxBytes },
        filesKeptSince: filesKeptSince(r.deps.fileRetentionDays, r.deps.clock.now()),
      }),
    );
  },

  async message(r) {
    const current = await currentSession(r);
    if (!current) return signedOut(r);
    const { session } = current;
    const found = await showArticle(r.deps, session, r.event.pathParameters?.number ?? '', r.event.pathParameters?.message ?? '');
    if (!found) return notFound(r, session);
    r.deps.metrics.count('PortalPageShown');
    const filesSince = filesKeptSince(r.deps.fileRetentionDays, r.deps.clock.now());
    return page(200, articlePage(ctx(r, session.language), { ...found, csrfToken: csrfToken(current.id), filesKeptSince: filesSince }));
  },

  async file(r) {
    const current = await currentSession(r);
    if (!current) return signedOut(r);
    const { session } = current;
    const params = r.event.pathParameters ?? {};
    const outcome = await downloadFile(r.deps, session, { ticketNumber: params.number ?? '', articleId: params.message ?? '', index: params.file ?? '' });
    if (outcome === 'not-found') return notFound(r, session);
    if (outcome === 'gone') {
      r.deps.metrics.count('FileGone');
      const t = texts(session.language);
      return page(410, messagePage(ctx(r, session.language), { title: t.fileGone.title, message: t.fileGone.message, offerNewLink: false, signInLink: true }));
    }
    r.deps.metrics.count('FileDownloaded');
    return seeDownload(outcome.url);
  },

  async reply(r) {
    let posted: Awaited<ReturnType<typeof postedReply>>;
    try {
      posted = await postedReply(r);
    } catch (e) {
      if (e instanceof UploadTooLargeError) return filesTooLarge(r, e, (await currentSession(r))?.session);
      throw e;
    }
    const current = await currentSession(r);
    if (!current) return page(403, signedOutPage(ctx(r)));
    requireFormToken(posted.fields, current.id, 'reply');
    const text = replyText(posted.fields);
    const number = r.event.pathParameters?.number ?? '';
    const outcome = await replyInPortal(r.deps, current.session, number, text, posted.files);
    if (outcome === 'not-found') return notFound(r, current.session);
    if (outcome === 'closed') {
      const t = texts(current.session.language);
      return page(409, messagePage(ctx(r, current.session.language), { title: t.errors.methodNotAllowed.title, message: t.ticketPage.cannotReply('closed'), offerNewLink: false, signInLink: true }));
    }
    if (posted.files.length) r.deps.metrics.count('ReplyFilesStored', posted.files.length);
    // Back on the ticket, where the confirmation is shown and announced (#reply-sent).
    return seeOther(`${pathOf('ticket', { number })}?reply=sent#reply-sent`);
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

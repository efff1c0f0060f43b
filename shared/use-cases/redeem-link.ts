/**
 * redeem-link: the POST behind a link's button (docs/links-and-portal.md, 'Outcomes'); a little
 * over 200 lines, because every way a spend can fail is told apart in one place. Only this
 * spends a token; the GET of the link (open-link.ts) shows the button and spends nothing, because
 * mail scanners fetch links before the person does.
 *
 *  1. A malformed ticket number or token is LinkExpired at once: nothing reaches the table.
 *  2. Spend: one conditional update of the ticket removes the pointer if it still names this
 *     token, unexpired, the ticket neither gone nor beyond its window, the customer enabled. Of
 *     any number of concurrent POSTs exactly one wins.
 *  3. The winner starts a session (start-session.ts; its id exists only in the cookie, the table
 *     keeps its hash) and the trail entry rides along: a successful redeem costs two requests. The
 *     spend keeps a hash of the landing page's nonce, if the browser brought one.
 *  4. A loser finds out why, from the ticket and the token as they are now:
 *     - unknown ticket or token, expired, swept, gone, beyond the window, customer disabled → LinkExpired,
 *       in the browser's language: a request that proves nothing learns nothing, not even whether
 *       the ticket exists;
 *     - the same browser's second click of the button within DOUBLE_CLICK_MS (its nonce is the
 *       spend's) → a session of its own, nothing mailed, no failed login;
 *     - spent or superseded while a newer link that was mailed is active → WrongLink;
 *     - spent, and the code of its mail (or of a newer mail) is unused → the page asks for the code;
 *       nothing is mailed, however often a scanner clicks;
 *     - spent, no mailed link and no code left → a fresh link and code are mailed
 *       (TokenRefreshNotification) at most once per RefreshMinIntervalMinutes however often it is
 *       clicked → NewLink, and the customer's failed-login counter goes up; when no link can be
 *       made → RefreshFailed.
 *     Refusals of a known token are counted on the ticket's access trail, once per link, reason and
 *     hour (domain/trail.ts): a scanner pressing a spent link's button again and again adds one entry.
 */
import type { Language } from '../config.js';
import type { ClientRef, CustomerMessageKey, Session, Ticket } from '../domain/model.js';
import { linkName, repeatOf, trailEntry, type RefusalReason } from '../domain/trail.js';
import { isAccessible, isGone, windowStart } from '../domain/ticket-lifecycle.js';
import { hashToken, isWellFormedTicketNumber, isWellFormedToken, sha256 } from '../domain/tokens.js';
import type { CustomerRepository } from '../ports/customers.js';
import type { SessionRepository } from '../ports/sessions.js';
import type { TrailRepository } from '../ports/trail.js';
import { issueLink, refreshMail, type LinkDeps } from './issue-link.js';
import { sessionIdHash, startSession } from './start-session.js';

export interface RedeemDeps extends LinkDeps {
  customers: Pick<CustomerRepository, 'get' | 'countFailedLogin'>;
  sessions: Pick<SessionRepository, 'start'>;
  trail: Pick<TrailRepository, 'record' | 'count'>;
}

/** `language`: the ticket's, where its mail declared one; otherwise the page speaks the browser's. */
export type RedeemOutcome =
  | { redeemed: true; ticketNumber: string; sessionId: string; session: Session }
  | { redeemed: false; codeOffered: { ticketNumber: string; sameMail: boolean }; reason: string; language?: Language }
  | { redeemed: false; codeOffered?: undefined; messageKey: CustomerMessageKey; reason: string; language?: Language };

export interface RedeemRequest {
  ticketNumber: string;
  token: string;
  client?: ClientRef;
  /** The landing page's nonce, from its cookie: the same browser's second click signs in too. */
  nonce?: string;
  /** From Accept-Language: the session's language unless the ticket's mail declared one. */
  language?: Language;
}

/** How long after a spend the same browser's second click still counts as a double-click. */
export const DOUBLE_CLICK_MS = 10_000;

export { sessionIdHash };

export async function redeemLink(deps: RedeemDeps, request: RedeemRequest): Promise<RedeemOutcome> {
  const { config, clock, metrics } = deps;
  if (!isWellFormedTicketNumber(request.ticketNumber) || !isWellFormedToken(request.token)) return refused(deps, 'CustomerErrorMessageLinkExpired', 'malformed');
  const now = clock.now();
  const nowIso = now.toISOString();
  const hash = hashToken(request.token);

  const nonce = request.nonce ? sha256(request.nonce) : undefined;
  const spent = await deps.tickets.update(
    request.ticketNumber,
    { spend: { hash, at: nowIso, ...(nonce ? { nonce } : {}) }, updatedAt: nowIso },
    { activeTokenHash: hash, activeTokenValidAt: nowIso, notGone: true, openOrClosedAfter: windowStart(config, now), customerEnabled: true },
  );
  if (spent.updated) {
    const ticket = spent.before;
    const { sessionId, session } = await startSession(deps, ticket, now, request.language, { trail: [trailEntry(ticket.number, nowIso, { event: 'link-used' }, request.client)] });
    metrics.count('LinkRedeemed');
    deps.logger.info('Link redeemed', { ticketNumber: ticket.number, outcome: 'redeemed' });
    return { redeemed: true, ticketNumber: ticket.number, sessionId, session };
  }
  return whyNot(deps, request, hash, nonce, now);
}

/** Step 4: the spend failed; the ticket and the token as they are now say why. */
async function whyNot(deps: RedeemDeps, request: RedeemRequest, hash: string, nonce: string | undefined, now: Date): Promise<RedeemOutcome> {
  const { config } = deps;
  const nowIso = now.toISOString();
  const [ticket, token] = await Promise.all([deps.tickets.get(request.ticketNumber), deps.tokens.get(request.ticketNumber, hash)]);
  // Unknown, swept, or a token of another ticket: nothing to tell, nothing to record — and in the
  // browser's language, so the answer is the same whether the ticket exists or not.
  if (!ticket || !token || token.ticketNumber !== ticket.number) return refused(deps, 'CustomerErrorMessageLinkExpired', !ticket ? 'unknown-ticket' : 'unknown-token');
  const language = ticket.languageDeclared ? ticket.language : undefined;
  const refuse = async (key: CustomerMessageKey, reason: string, detail: RefusalReason = key) => {
    await deps.trail.count(repeatOf({ event: 'link-refused', detail }, ticket.number, linkName(hash), now, request.client));
    return refused(deps, key, reason, language, ticket.number);
  };
  if (ticket.customerDisabled) return refuse('CustomerErrorMessageLinkExpired', 'customer-disabled');
  if (!isAccessible(ticket, config, now)) return refuse('CustomerErrorMessageLinkExpired', isGone(ticket.state) ? `ticket-${ticket.state}` : 'beyond-window');
  if (token.expiresAt <= nowIso) return refuse('CustomerErrorMessageLinkExpired', 'token-expired');
  if (isDoubleClick(ticket, hash, nonce, now)) {
    // The same browser pressed the button twice: its first click won; this one follows it in.
    const { sessionId, session } = await startSession(deps, ticket, now, request.language);
    deps.metrics.count('LinkDoubleClickSignedIn');
    deps.logger.info('Link redeemed', { ticketNumber: ticket.number, outcome: 'redeemed', reason: 'double-click' });
    return { redeemed: true, ticketNumber: ticket.number, sessionId, session };
  }
  if (await activeMailedLink(deps, ticket, nowIso)) return refuse('CustomerErrorMessageWrongLink', 'newer-link-active');
  const code = await unusedMailedCode(deps, ticket, hash, nowIso);
  if (code) {
    // A scanner may have pressed the button: the person still has the code of the mail, so
    // nothing is mailed, however often the spent link is clicked.
    await deps.trail.count(repeatOf({ event: 'link-refused', detail: 'code-offered' }, ticket.number, linkName(hash), now, request.client));
    deps.metrics.count('LinkCodeOffered');
    deps.logger.info('Link refused', { ticketNumber: ticket.number, outcome: 'code-offered', reason: code.sameMail ? 'code-of-this-mail-unused' : 'code-of-newer-mail-unused' });
    return { redeemed: false, codeOffered: { ticketNumber: ticket.number, sameMail: code.sameMail }, reason: 'code-unused', language };
  }

  // Spent, and no mailed link is active: the add-on mails a fresh one and counts a failed login.
  const customer = await deps.customers.get(ticket.customerLogin);
  if (!customer) return refuse('CustomerErrorMessageLinkExpired', 'customer-missing');
  if (customer.disabled) return refuse('CustomerErrorMessageLinkExpired', 'customer-disabled');
  await deps.customers.countFailedLogin(customer.login);
  const outcome = await issueLink(deps, {
    ticket,
    customer,
    purpose: 'refresh',
    rateLimited: true,
    client: request.client,
    mail: refreshMail(ticket),
  });
  if (outcome.issued) {
    deps.metrics.count('LinkNewLinkSent');
    return refuse('CustomerErrorMessageNewLink', 'refresh-mailed');
  }
  if (outcome.reason === 'rate-limited') {
    deps.metrics.count('LinkRefreshRateLimited');
    // Within the interval the last refresh decides: it arrived (WrongLink), is on its way or was
    // used since (NewLink), or its mail failed — its pointer was dropped and nothing spent since (RefreshFailed).
    const current = (await deps.tickets.get(ticket.number)) ?? ticket;
    if (current.activeToken) return refuse((await activeMailedLink(deps, current, nowIso)) ? 'CustomerErrorMessageWrongLink' : 'CustomerErrorMessageNewLink', 'rate-limited', 'rate-limited');
    const usedSince = current.lastSpentAt !== undefined && current.refreshedAt !== undefined && current.lastSpentAt > current.refreshedAt;
    return refuse(usedSince ? 'CustomerErrorMessageNewLink' : 'CustomerErrorMessageRefreshFailed', 'rate-limited', 'rate-limited');
  }
  if (outcome.reason === 'mail-failed') {
    // The pointer of a link that never went out is dropped, so the interval's later clicks read RefreshFailed.
    await dropUnsentPointer(deps, ticket.number, nowIso);
    deps.logger.warn('Refresh mail failed', { ticketNumber: ticket.number, error: String(outcome.error) });
    return refuse('CustomerErrorMessageRefreshFailed', 'refresh-mail-failed');
  }
  // Another link was minted meanwhile: it is on its way.
  if (outcome.reason === 'conflict') return refuse('CustomerErrorMessageNewLink', 'refresh-conflict');
  // The ticket went away under the refresh: no link can be made, so RefreshFailed
  // (docs/links-and-portal.md, 'Outcomes').
  if (outcome.reason === 'missing') return refuse('CustomerErrorMessageRefreshFailed', 'ticket-gone');
  return refuse('CustomerErrorMessageLinkExpired', outcome.reason);
}

/** The spend this request lost was the same browser's own click, moments ago. */
function isDoubleClick(ticket: Ticket, hash: string, nonce: string | undefined, now: Date): boolean {
  if (!nonce || ticket.lastSpentHash !== hash || ticket.lastSpentNonce !== nonce || !ticket.lastSpentAt) return false;
  return now.getTime() - Date.parse(ticket.lastSpentAt) <= DOUBLE_CLICK_MS;
}

/** The ticket's code is unused, unexpired and was mailed: with this link's mail (sameMail), or with a newer one. */
async function unusedMailedCode(deps: RedeemDeps, ticket: Ticket, hash: string, nowIso: string): Promise<{ sameMail: boolean } | undefined> {
  const code = ticket.activeCode;
  if (!code || code.expiresAt <= nowIso) return undefined;
  if (code.tokenHash === hash) return { sameMail: true };
  return (await deps.tokens.get(ticket.number, code.tokenHash)) ? { sameMail: false } : undefined;
}

/** A newer link is active and was mailed: the customer has it, and must use it. */
async function activeMailedLink(deps: RedeemDeps, ticket: Ticket, nowIso: string): Promise<boolean> {
  const active = ticket.activeToken;
  if (!active || active.expiresAt <= nowIso) return false;
  return (await deps.tokens.get(ticket.number, active.hash)) !== undefined;
}

async function dropUnsentPointer(deps: RedeemDeps, ticketNumber: string, nowIso: string) {
  const current = await deps.tickets.get(ticketNumber);
  const pointer = current?.activeToken;
  if (!pointer || (await deps.tokens.get(ticketNumber, pointer.hash))) return;
  // Its code was never mailed either.
  await deps.tickets.update(ticketNumber, { activeToken: null, activeCode: null, updatedAt: nowIso }, { activeTokenHash: pointer.hash });
}

/** One metric per outcome, whatever led to it (side counts — a refresh mailed, rate limited — come on top). */
const METRIC: Record<CustomerMessageKey, 'LinkExpired' | 'LinkWrongLink' | 'LinkRefreshFailed' | 'LinkNewLink'> = {
  CustomerErrorMessageLinkExpired: 'LinkExpired',
  CustomerErrorMessageWrongLink: 'LinkWrongLink',
  CustomerErrorMessageRefreshFailed: 'LinkRefreshFailed',
  CustomerErrorMessageNewLink: 'LinkNewLink',
};

/** `reason` says why, for the log and for ops (unknown-ticket, token-expired, beyond-window, customer-disabled, …). */
function refused(deps: Pick<RedeemDeps, 'metrics' | 'logger'>, messageKey: CustomerMessageKey, reason: string, language?: Language, ticketNumber?: string): RedeemOutcome {
  deps.metrics.count(METRIC[messageKey]);
  deps.logger.info('Link refused', { ticketNumber, outcome: messageKey, reason });
  return { redeemed: false, messageKey, reason, language };
}

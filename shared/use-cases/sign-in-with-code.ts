/**
 * sign-in-with-code: `POST /code` (docs/links-and-portal.md, "Sign-in codes"). A person types the
 * ticket number and the code from a mail; right, it starts a session exactly as a link's button
 * does; anything else gets one neutral answer that never says which part was wrong.
 *
 *  1. Both fields normalised (spaces, `Ticket#`, case, hyphens). A malformed one takes the client's
 *     allowance only and goes no further: it cannot be anyone's code.
 *  2. One step, three requests at once: an attempt from the ticket's hourly bucket
 *     (SignInCodeLimits.PerTicketPerHour, right or wrong, whether the ticket exists or not), one
 *     from the client network's (an IPv4 address, an IPv6 /64), and the spend — one conditional
 *     update removes the ticket's code pointer if it holds this code's keyed hash, unexpired, the
 *     ticket neither gone nor beyond its window, the customer enabled. Of concurrent sign-ins with
 *     one code exactly one wins; every attempt is counted before it can win.
 *  3. Both limits held and the spend won: a session (start-session.ts) with "signed in with a
 *     code" on the trail, in one batch. Two round trips in all, like a redeem.
 *  4. A limit refused: the page says when to try again, right code or wrong. A spend that won
 *     beside a refused limit is undone (the pointer put back, unless a newer mail moved it), so
 *     an attempt beyond the limit can never open the ticket, however many are sent at once.
 *  5. The spend failed: the neutral page; a ticket that exists records the refusal on its trail.
 */
import type { Config, Language } from '../config.js';
import { codeHash, normalizeCode } from '../domain/codes.js';
import { clientNetwork, hourWindow } from '../domain/limits.js';
import type { ClientRef, Session, Ticket } from '../domain/model.js';
import { windowStart } from '../domain/ticket-lifecycle.js';
import { repeatOf, trailEntry } from '../domain/trail.js';
import { isWellFormedTicketNumber, normalizeTicketNumber, sha256 } from '../domain/tokens.js';
import type { RateLimiter } from '../ports/limits.js';
import type { CodeKey } from '../ports/secrets.js';
import type { SessionRepository } from '../ports/sessions.js';
import type { Clock, Logger, Metrics, Random } from '../ports/system.js';
import type { TicketRepository } from '../ports/tickets.js';
import type { TrailRepository } from '../ports/trail.js';
import { startSession } from './start-session.js';

export interface CodeDeps {
  config: Pick<Config, 'SignInCodeLimits' | 'AccessDaysAfterClose' | 'SessionScope' | 'SessionAbsoluteHours' | 'DefaultLanguage'>;
  clock: Clock;
  random: Random;
  codeKey: CodeKey;
  tickets: Pick<TicketRepository, 'get' | 'update'>;
  sessions: Pick<SessionRepository, 'start'>;
  trail: Pick<TrailRepository, 'record' | 'count'>;
  limits: RateLimiter;
  logger: Logger;
  metrics: Metrics;
}

export interface CodeRequest {
  ticketNumber: string;
  code: string;
  /** sourceIp from API Gateway's request context: a bucket key only (its network, hashed). */
  sourceIp: string;
  /** Unique per request (API Gateway's request id): what one attempt adds to a bucket. */
  requestId: string;
  client?: ClientRef;
  language?: Language;
}

export type CodeOutcome =
  | { signedIn: true; ticketNumber: string; sessionId: string; session: Session }
  /** `ticketNumber`: as normalised, for the form again; `until`: when a refused limit's window ends. */
  | { signedIn: false; reason: 'malformed' | 'refused'; ticketNumber: string }
  | { signedIn: false; reason: 'rate-limited'; ticketNumber: string; until: string };

export async function signInWithCode(deps: CodeDeps, request: CodeRequest): Promise<CodeOutcome> {
  const { config, clock, metrics } = deps;
  const now = clock.now();
  const nowIso = now.toISOString();
  const window = hourWindow(now);
  const ticketNumber = normalizeTicketNumber(request.ticketNumber);
  const code = normalizeCode(request.code);
  const takeClient = () => deps.limits.take(`code-ip#${sha256(clientNetwork(request.sourceIp))}#${window.index}`, request.requestId, config.SignInCodeLimits.PerClientIpPerHour, window.expiresAt);

  if (!code || !isWellFormedTicketNumber(ticketNumber)) {
    const fits = await takeClient();
    metrics.count(fits ? 'CodeRefused' : 'CodeRateLimited');
    deps.logger.info('Code refused', { outcome: fits ? 'malformed' : 'rate-limited' });
    return fits ? { signedIn: false, reason: 'malformed', ticketNumber } : { signedIn: false, reason: 'rate-limited', ticketNumber, until: window.endsAt };
  }

  const hash = codeHash(await deps.codeKey.get(), ticketNumber, code);
  const [ticketFits, clientFits, spent] = await Promise.all([
    deps.limits.take(`code-ticket#${ticketNumber}#${window.index}`, request.requestId, config.SignInCodeLimits.PerTicketPerHour, window.expiresAt),
    takeClient(),
    deps.tickets.update(ticketNumber, { spendCode: true, updatedAt: nowIso }, { activeCodeHash: hash, activeCodeValidAt: nowIso, notGone: true, openOrClosedAfter: windowStart(config, now), customerEnabled: true }),
  ]);

  if (!ticketFits || !clientFits) {
    if (spent.updated) await restoreCode(deps, spent.before, nowIso);
    metrics.count('CodeRateLimited');
    deps.logger.info('Code refused', { ticketNumber, outcome: 'rate-limited', limit: ticketFits ? 'client' : 'ticket' });
    if (ticketFits === false) await recordOnTrail(deps, ticketNumber, now, 'too-many-attempts', request.client);
    return { signedIn: false, reason: 'rate-limited', ticketNumber, until: window.endsAt };
  }
  if (spent.updated) {
    const ticket = spent.before;
    const { sessionId, session } = await startSession(deps, ticket, now, request.language, { trail: [trailEntry(ticket.number, nowIso, { event: 'code-used' }, request.client)] });
    metrics.count('CodeSignedIn');
    deps.logger.info('Code signed in', { ticketNumber, outcome: 'signed-in' });
    return { signedIn: true, ticketNumber, sessionId, session };
  }
  metrics.count('CodeRefused');
  deps.logger.info('Code refused', { ticketNumber, outcome: 'refused' });
  await recordOnTrail(deps, ticketNumber, now, 'wrong-code', request.client);
  return { signedIn: false, reason: 'refused', ticketNumber };
}

/** The attempt was beyond a limit, so its spend must not count: the pointer goes back unless a newer mail moved it. */
async function restoreCode(deps: CodeDeps, before: Ticket, nowIso: string): Promise<void> {
  if (!before.activeCode) return;
  const restored = await deps.tickets.update(before.number, { activeCode: before.activeCode, updatedAt: nowIso }, { activeCodeHash: null });
  if (restored.updated) deps.metrics.count('CodeRestored');
}

/** What counted code refusals are of: the ticket's codes, not one of them. */
const CODES_NAME = 'code';

/** A refused code on a ticket that exists is counted on its trail, once per reason an hour (strangers' numbers get no trail). */
async function recordOnTrail(deps: CodeDeps, ticketNumber: string, now: Date, detail: 'wrong-code' | 'too-many-attempts', client?: ClientRef): Promise<void> {
  if (!(await deps.tickets.get(ticketNumber))) return;
  await deps.trail.count(repeatOf({ event: 'code-refused', detail }, ticketNumber, CODES_NAME, now, client));
}

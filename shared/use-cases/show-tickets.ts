/**
 * What a signed-in customer sees (docs/links-and-portal.md: 'Routes', 'The ticket page', 'The access
 * trail', 'Session scope'). Each is one round trip after the session's, whatever the ticket holds:
 *
 * listTickets: the customer's tickets, newest first (one Query of byCustomer); with SessionScope
 *   `ticket` only the ticket the session was started for.
 * showTicket: one ticket, its ARTICLES_SHOWN newest articles as previews (or those before an
 *   article, for older ones) and its recent access trail (tickets.page: requests sent together).
 *   Someone else's ticket, a merged or removed one, and a missing one all answer the same: not found.
 * showArticle: one article with its whole text and every file, for the same sessions.
 */
import type { Config } from '../config.js';
import type { Article, Session, Ticket, TrailEntry } from '../domain/model.js';
import { isAccessible } from '../domain/ticket-lifecycle.js';
import type { TicketPage, TicketRepository } from '../ports/tickets.js';
import type { Clock } from '../ports/system.js';
import { mayOpen } from './portal-session.js';

export interface ShowDeps {
  config: Pick<Config, 'AccessDaysAfterClose' | 'AccessTrailDays'>;
  clock: Clock;
  tickets: Pick<TicketRepository, 'listByCustomer' | 'page' | 'article'>;
}

const DAY_MS = 86_400_000;
/** The ticket page shows the recent trail; ops see all of it (`ota ticket audit`). */
export const TRAIL_SHOWN = 20;
/** Articles on one ticket page; older ones are a link away. */
export const ARTICLES_SHOWN = 10;
/** An article id as this system makes them (`<ISO time>#<hex or base64url>`): anything else asks for nothing. */
const ARTICLE_ID = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z#[A-Za-z0-9_-]{1,64}$/;

export const isArticleId = (id: string | undefined): id is string => id !== undefined && ARTICLE_ID.test(id);

export type TicketShown = Omit<TicketPage, 'counted'> & { canReply: boolean };

export async function listTickets(deps: ShowDeps, session: Session): Promise<Ticket[]> {
  const { items } = await deps.tickets.listByCustomer(session.customerLogin);
  return items.filter((t) => mayOpen(session, t));
}

export async function showTicket(deps: ShowDeps, session: Session, number: string, options: { before?: string } = {}): Promise<TicketShown | undefined> {
  const before = isArticleId(options.before) ? options.before : undefined;
  const page = await deps.tickets.page(number, { articles: ARTICLES_SHOWN, trail: TRAIL_SHOWN, ...(before ? { before } : {}) });
  if (!page || !mayOpen(session, page.ticket)) return undefined;
  const now = deps.clock.now();
  const { counted, ...shown } = page;
  return { ...shown, trail: recentTrail(page.trail, counted, deps.config.AccessTrailDays, now), canReply: isAccessible(page.ticket, deps.config, now) };
}

export async function showArticle(deps: ShowDeps, session: Session, number: string, articleId: string): Promise<{ ticket: Ticket; article: Article } | undefined> {
  if (!isArticleId(articleId)) return undefined;
  const found = await deps.tickets.article(number, articleId);
  return found && mayOpen(session, found.ticket) ? found : undefined;
}

/**
 * The trail a page shows, newest first: the TRAIL_SHOWN newest decisions (sign-ins, sign-outs,
 * self-service requests…) and the counted entries (opens, refusals) among them. When the decisions
 * fill the page, counted entries older than the oldest of them are left out, so no number of opens or
 * refusals pushes a sign-in off the page. TTL removes old entries late: they are dropped here too.
 */
export function recentTrail(decisions: TrailEntry[], repeats: TrailEntry[], retentionDays: number, now: Date): TrailEntry[] {
  const since = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const latest = (e: TrailEntry) => e.lastAt ?? e.at;
  const kept = decisions.filter((e) => e.at >= since).slice(0, TRAIL_SHOWN);
  const floor = kept.length === TRAIL_SHOWN ? (kept.at(-1)?.at ?? '') : '';
  const counted = repeats.filter((e) => latest(e) >= since && latest(e) >= floor);
  return [...kept, ...counted].sort((a, b) => latest(b).localeCompare(latest(a)));
}

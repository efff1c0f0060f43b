/** show-tickets on the in-memory ports: what a signed-in customer sees, and what answers "not found". */
import { describe, expect, it } from '@jest/globals';
import type { Session } from '../../shared/domain/model.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { ARTICLES_SHOWN, listTickets, showArticle, showTicket, TRAIL_SHOWN } from '../../shared/use-cases/show-tickets.js';
import { ARTICLE_PREVIEW_CHARS } from '../../shared/domain/model.js';
import { memorySystem } from '../support/memory-system.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ANN = 'ann@example.org';

const sessionOf = (ticketNumber: string, scope: Session['scope'] = 'customer'): Session => ({
  idHash: 'h',
  customerLogin: ANN,
  ticketNumber,
  scope,
  language: 'en',
  createdAt: '2026-11-25T10:00:00.000Z',
  lastSeenAt: '2026-11-25T10:00:00.000Z',
  absoluteExpiresAt: '2026-11-25T18:00:00.000Z',
});

describe('show-tickets (use case)', () => {
  it('lists the customer’s own tickets newest first, and with SessionScope ticket only the session’s own', async () => {
    // Prepare
    const s = memorySystem();
    const older = (await s.customerWithTicket(ANN)).ticket;
    s.clock.advance(MINUTE);
    const newer = (await s.customerWithTicket(ANN)).ticket;
    await s.customerWithTicket('bob@example.org');

    // Act
    const all = await listTickets(s.deps, sessionOf(older.number));
    const scoped = await listTickets(s.deps, sessionOf(older.number, 'ticket'));

    // Assert
    expect(all.map((t) => t.number)).toEqual([newer.number, older.number]);
    expect(scoped.map((t) => t.number)).toEqual([older.number]);
  });

  it('answers someone else’s ticket, a merged one and a missing one alike: undefined', async () => {
    // Prepare
    const s = memorySystem();
    const own = (await s.customerWithTicket(ANN)).ticket;
    const merged = (await s.customerWithTicket(ANN)).ticket;
    await changeTicketState(s.deps, { ticketNumber: merged.number, state: 'merged', mergedInto: own.number });
    const theirs = (await s.customerWithTicket('bob@example.org')).ticket;
    const session = sessionOf(own.number);

    // Act
    const shown = await Promise.all([own.number, merged.number, theirs.number, '20990101999999'].map((n) => showTicket(s.deps, session, n)));

    // Assert
    expect(shown.map((v) => v?.ticket.number)).toEqual([own.number, undefined, undefined, undefined]);
  });

  it(`shows the recent trail only — at most ${TRAIL_SHOWN} entries within AccessTrailDays, newest first`, async () => {
    // Prepare: one old entry (TTL deletes late), then more recent ones than the page shows
    const s = memorySystem({ AccessTrailDays: 90 });
    const { ticket } = await s.customerWithTicket(ANN);
    const at = (ms: number) => new Date(s.clock.now().getTime() + ms).toISOString();
    await s.deps.trail.record([{ ticketNumber: ticket.number, at: at(0), event: 'link-opened' }]);
    s.clock.advance(91 * DAY);
    await s.deps.trail.record(Array.from({ length: TRAIL_SHOWN + 5 }, (_, i) => ({ ticketNumber: ticket.number, at: at(-i * MINUTE), event: 'link-opened' as const })));

    // Act
    const view = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);

    // Assert
    expect(view?.trail).toHaveLength(TRAIL_SHOWN);
    expect(view?.trail[0]?.at).toBe(s.clock.now().toISOString());
    expect(view?.trail.every((e) => e.at >= at(-90 * DAY))).toBe(true);
  });

  it('keeps sign-ins, refusals and self-service requests on the page however many opens there were', async () => {
    // Prepare: a sign-in, then a link opened every hour for four days (96 counted entries)
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const start = s.clock.now().getTime();
    const at = (ms: number) => new Date(start + ms).toISOString();
    await s.deps.trail.record([
      { ticketNumber: ticket.number, at: at(0), event: 'link-used', client: 'Chrome, 192.0.2.0/24' },
      { ticketNumber: ticket.number, at: at(MINUTE), event: 'self-service-requested', detail: 'no-match' },
      { ticketNumber: ticket.number, at: at(2 * MINUTE), event: 'link-refused', detail: 'CustomerErrorMessageWrongLink' },
    ]);
    for (let hour = 1; hour <= 96; hour++) {
      await s.deps.trail.count({ event: 'link-opened', ticketNumber: ticket.number, link: 'L', interval: at(hour * 60 * MINUTE), at: at(hour * 60 * MINUTE), count: 50, client: 'Firefox, 203.0.113.0/24' });
    }
    s.clock.advance(97 * 60 * MINUTE);

    // Act
    const view = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);

    // Assert: the decisions are all there; opens fill the rest, each counted, newest first
    expect(view?.trail.filter((e) => e.event !== 'link-opened').map((e) => e.event)).toEqual(['link-refused', 'self-service-requested', 'link-used']);
    expect(view?.trail.filter((e) => e.event === 'link-opened')).toHaveLength(TRAIL_SHOWN);
    expect(view?.trail.every((e) => e.event !== 'link-opened' || e.count === 50)).toBe(true);
  });

  it('shows the ARTICLES_SHOWN newest messages as previews, the older ones a page away, each whole on its own page', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const long = 'y'.repeat(ARTICLE_PREVIEW_CHARS + 10);
    for (let i = 0; i < ARTICLES_SHOWN + 2; i++) {
      const at = new Date(s.clock.now().getTime() + i * MINUTE).toISOString();
      await s.deps.tickets.addArticle({ ticketNumber: ticket.number, articleId: `${at}#a${i}`, direction: 'inbound', fromAddress: ANN, fromName: '', subject: '', text: i === ARTICLES_SHOWN + 1 ? long : `m${i}`, textTruncated: false, attachments: [], createdAt: at });
    }
    const session = sessionOf(ticket.number);

    // Act
    const newest = await showTicket(s.deps, session, ticket.number);
    const older = await showTicket(s.deps, session, ticket.number, { before: newest?.olderBefore });
    const bogus = await showTicket(s.deps, session, ticket.number, { before: 'not an article id' });
    const whole = await showArticle(s.deps, session, ticket.number, newest?.articles.at(-1)?.articleId ?? '');
    const theirs = await showArticle(s.deps, sessionOf(ticket.number, 'customer'), (await s.customerWithTicket('bob@example.org')).ticket.number, newest?.articles[0]?.articleId ?? '');

    // Assert
    expect(newest?.articles).toHaveLength(ARTICLES_SHOWN);
    expect(newest?.articles.at(-1)).toMatchObject({ textCut: true, text: 'y'.repeat(ARTICLE_PREVIEW_CHARS) });
    expect(older?.articles.map((a) => a.text)).toEqual(['m0', 'm1']);
    expect(older?.olderBefore).toBeUndefined();
    expect(bogus?.articles).toEqual(newest?.articles);
    expect(whole?.article.text).toBe(long);
    expect(theirs).toBeUndefined();
  });

  it('offers a reply within the window and not beyond it', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    await changeTicketState(s.deps, { ticketNumber: ticket.number, state: 'closed' });
    const within = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);
    s.clock.advance(15 * DAY);

    // Act
    const beyond = await showTicket(s.deps, sessionOf(ticket.number), ticket.number);

    // Assert
    expect([within?.canReply, beyond?.canReply]).toEqual([true, false]);
  });
});

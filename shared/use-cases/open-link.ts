/**
 * open-link: the GET of a link (docs/links-and-portal.md, 'GET shows, POST spends'). It spends
 * nothing — mail scanners (Safe Links, Mimecast, Proofpoint…) fetch links before the person does —
 * and it tells nothing: the page shows the ticket number and a button, whether the token is known
 * or not.
 *
 *  1. A malformed ticket number or token is answered LinkExpired; nothing reaches the table.
 *  2. A known token's opening is recorded on the ticket's access trail (an unknown one is not:
 *     strangers must not be able to write into a ticket's trail) — once per link per interval,
 *     counted (domain/trail.ts): the first open in an interval reads the token and makes the
 *     interval's entry; later ones are counted by this instance and added at most every
 *     OPEN_FLUSH_MS (domain/open-tally.ts), so opening a link again and again mostly costs nothing.
 */
import { hashToken, isWellFormedTicketNumber, isWellFormedToken } from '../domain/tokens.js';
import type { ClientRef } from '../domain/model.js';
import type { OpenTally } from '../domain/open-tally.js';
import { linkName, openInterval, repeatOf, type Repeats } from '../domain/trail.js';
import type { TrailRepository } from '../ports/trail.js';
import type { TokenRepository } from '../ports/tokens.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';

export interface OpenLinkDeps {
  clock: Clock;
  tokens: Pick<TokenRepository, 'get'>;
  trail: Pick<TrailRepository, 'count'>;
  /** Made once per instance (functions/http/deps.ts). */
  opens: OpenTally;
  logger: Logger;
  metrics: Metrics;
}

export async function openLink(deps: OpenLinkDeps, request: { ticketNumber: string; token: string; client?: ClientRef }): Promise<'landing' | 'malformed'> {
  if (!isWellFormedTicketNumber(request.ticketNumber) || !isWellFormedToken(request.token)) {
    deps.metrics.count('LandingMalformed');
    return 'malformed';
  }
  const now = deps.clock.now();
  const hash = hashToken(request.token);
  const link = linkName(hash);
  const interval = openInterval(now);
  const kind = request.client?.kind;
  const opens = (count: number, at = interval): Repeats => ({ ...repeatOf({ event: 'link-opened' }, request.ticketNumber, link, now, request.client), interval: at, count });
  const key = `${request.ticketNumber}|${link}|${kind ?? ''}`;
  const step = deps.opens.open(key, interval, now.getTime());
  let known = true;
  if (step.step === 'look-up') {
    // The previous interval's unwritten opens belong to a link already known: written beside the lookup.
    const [token] = await Promise.all([deps.tokens.get(request.ticketNumber, hash), step.unwritten && deps.trail.count(opens(step.unwritten.count, step.unwritten.interval))]);
    known = Boolean(token);
    if (token) {
      await deps.trail.count(opens(1));
      deps.opens.recorded(key, interval, now.getTime());
    } else deps.opens.forget(key);
  } else if (step.step === 'count') {
    await deps.trail.count(opens(step.count));
  }
  deps.metrics.count('LandingShown');
  deps.logger.info('Landing page shown', { ticketNumber: request.ticketNumber, knownToken: known });
  return 'landing';
}

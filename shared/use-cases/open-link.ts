/**
 * open-link: the GET of a link (docs/links-and-portal.md, 'GET shows, POST spends'). It spends
 * nothing — mail scanners (Safe Links, Mimecast, Proofpoint…) fetch links before the person does —
 * and it tells nothing: the page shows the ticket number and a button, whether the token is known
 * or not.
 *
 *  1. A malformed ticket number or token is answered LinkExpired; nothing reaches the table.
 *  2. A known token's opening is recorded on the ticket's access trail (an unknown one is not:
 *     strangers must not be able to write into a ticket's trail).
 */
import { hashToken, isWellFormedTicketNumber, isWellFormedToken } from '../domain/tokens.js';
import type { ClientRef } from '../domain/model.js';
import type { TrailRepository } from '../ports/trail.js';
import type { TokenRepository } from '../ports/tokens.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import { trailEntry } from '../domain/trail.js';

export interface OpenLinkDeps {
  clock: Clock;
  tokens: Pick<TokenRepository, 'get'>;
  trail: Pick<TrailRepository, 'record'>;
  logger: Logger;
  metrics: Metrics;
}

export async function openLink(deps: OpenLinkDeps, request: { ticketNumber: string; token: string; client?: ClientRef }): Promise<'landing' | 'malformed'> {
  if (!isWellFormedTicketNumber(request.ticketNumber) || !isWellFormedToken(request.token)) {
    deps.metrics.count('LandingMalformed');
    return 'malformed';
  }
  const token = await deps.tokens.get(request.ticketNumber, hashToken(request.token));
  if (token) await deps.trail.record([trailEntry(request.ticketNumber, deps.clock.now().toISOString(), { event: 'link-opened' }, request.client)]);
  deps.metrics.count('LandingShown');
  deps.logger.info('Landing page shown', { ticketNumber: request.ticketNumber, knownToken: Boolean(token) });
  return 'landing';
}

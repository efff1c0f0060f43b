/**
 * request-link: "send me a new link" (docs/links-and-portal.md, "Send me a new link"), in two
 * halves so that the answer never tells whether a ticket number and an address belong together —
 * not by its words, not by its timing.
 *
 * At the portal (HTTP function):
 *  1. the ticket number as typed (`2026 1203 0000 01`, `Ticket#…`) and the address (a Unicode
 *     domain in its IDNA form, as customers are stored) are normalised;
 *  2. per client network (API Gateway's sourceIp, never a header: an IPv4 address, an IPv6 /64)
 *     one atomic take from an hourly bucket, whatever the form holds; a well-formed request also
 *     takes one from its address's bucket — a malformed one naming someone's address must not use
 *     up that address's allowance;
 *  3. a well-formed request within both is put on the project's bus as `SelfServiceLinkRequested`
 *     (ticket number, a SHA-256 of the address, the coarse client hint). Nothing is looked up here.
 * The page is the same neutral one in every case; the handler decides it before anything is mailed.
 *
 * On the bus (helpdesk-events function, applied once by event id):
 *  4. the ticket and its customer are read; only when the address is the customer's own, the
 *     customer enabled and the ticket within its window is a link issued — rate limited per ticket
 *     by RefreshMinIntervalMinutes, shared with the refresh of a spent link;
 *  5. the request and what came of it are recorded on the ticket's access trail (never the address).
 */
import type { Config } from '../config.js';
import type { SelfServiceOutcome } from '../domain/model.js';
import { clientNetwork, hourWindow } from '../domain/limits.js';
import { normalizeAddress } from '../domain/mail-rules.js';
import { isWellFormedTicketNumber, normalizeTicketNumber, sha256 } from '../domain/tokens.js';
import type { CustomerRepository } from '../ports/customers.js';
import type { EventPublisher } from '../ports/events.js';
import type { RateLimiter } from '../ports/limits.js';
import type { Clock, Logger, Metrics } from '../ports/system.js';
import type { TrailRepository } from '../ports/trail.js';
import { issueLink, refreshMail, type LinkDeps } from './issue-link.js';
import { newEventId } from './publish-events.js';
import { trailEntry } from '../domain/trail.js';

export const SELF_SERVICE_EVENT = 'SelfServiceLinkRequested';

export interface LinkRequest {
  ticketNumber: string;
  email: string;
  /** sourceIp from API Gateway's request context: a bucket key only (its network, hashed), never stored. */
  sourceIp: string;
  /** Coarse client hint (browser family, /24 or /48) for the trail. */
  client?: string;
  /** Unique per request (API Gateway's request id): what one take adds to a bucket. */
  requestId: string;
}

export interface RequestLinkDeps {
  config: Pick<Config, 'SelfServiceLimits'>;
  clock: Clock;
  limits: RateLimiter;
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
}

export type RequestOutcome = 'forwarded' | 'malformed' | 'rate-limited' | 'not-forwarded';

/** Steps 1–3. Resolves with what happened, for the log and the metrics; the page never shows it. */
export async function requestLink(deps: RequestLinkDeps, request: LinkRequest): Promise<RequestOutcome> {
  const { config, clock, metrics } = deps;
  const now = clock.now();
  const window = hourWindow(now);
  metrics.count('SelfServiceRequested');
  const ticketNumber = normalizeTicketNumber(request.ticketNumber);
  const email = normalizeAddress(request.email);
  const wellFormed = email !== undefined && isWellFormedTicketNumber(ticketNumber);
  const [ipFits, addressFits] = await Promise.all([
    deps.limits.take(`self-service-ip#${sha256(clientNetwork(request.sourceIp))}#${window.index}`, request.requestId, config.SelfServiceLimits.PerClientIpPerHour, window.expiresAt),
    wellFormed ? deps.limits.take(`self-service-address#${sha256(email)}#${window.index}`, request.requestId, config.SelfServiceLimits.PerAddressPerHour, window.expiresAt) : true,
  ]);
  if (!ipFits || !addressFits) {
    metrics.count('SelfServiceRateLimited');
    return 'rate-limited';
  }
  if (!wellFormed) {
    metrics.count('SelfServiceNoMatch');
    return 'malformed';
  }
  const detail = { ticketNumber, emailSha256: sha256(email), ...(request.client ? { client: request.client } : {}) };
  const result = await deps.publisher.publish([{ eventId: newEventId(), type: SELF_SERVICE_EVENT, at: now.toISOString(), detail }]);
  if (result.failed.length) {
    metrics.count('SelfServiceFailed');
    deps.logger.error('Self-service request not forwarded', { ticketNumber, error: result.error });
    return 'not-forwarded';
  }
  return 'forwarded';
}

export interface FulfilDeps extends LinkDeps {
  customers: Pick<CustomerRepository, 'get'>;
  trail: Pick<TrailRepository, 'record'>;
}

/** What came of a request; the trail records it and the ticket page words it. */
export type FulfilOutcome = SelfServiceOutcome;

/** Steps 4–5, for one `SelfServiceLinkRequested` event. */
export async function fulfilLinkRequest(deps: FulfilDeps, request: { ticketNumber: string; emailSha256: string; client?: string }): Promise<FulfilOutcome> {
  const ticket = await deps.tickets.get(request.ticketNumber);
  const customer = ticket ? await deps.customers.get(ticket.customerLogin) : undefined;
  // An unknown ticket has no trail to write to; a known one records that someone asked.
  if (!ticket || !customer) return noMatch(deps);
  const record = async (outcome: FulfilOutcome) => {
    await deps.trail.record([trailEntry(ticket.number, deps.clock.now().toISOString(), { event: 'self-service-requested', detail: outcome }, { hint: request.client })]);
    return outcome;
  };
  if (sha256(customer.email.toLowerCase()) !== request.emailSha256) return record(noMatch(deps));
  const outcome = await issueLink(deps, {
    ticket,
    customer,
    purpose: 'self-service',
    rateLimited: true,
    client: { hint: request.client },
    mail: refreshMail(ticket),
  });
  if (outcome.issued) {
    deps.metrics.count('SelfServiceLinkSent');
    return record('link-mailed');
  }
  if (outcome.reason === 'mail-failed') {
    // A link that was never mailed has no token item and blocks nothing; SES may take it on a retry.
    await record('mail-failed');
    if (outcome.retryable) throw outcome.error;
    return 'mail-failed';
  }
  if (outcome.reason === 'rate-limited') {
    deps.metrics.count('SelfServiceRateLimited');
    return record('rate-limited');
  }
  deps.metrics.count('SelfServiceNoMatch');
  return record('not-accessible');
}

function noMatch(deps: Pick<FulfilDeps, 'metrics'>): 'no-match' {
  deps.metrics.count('SelfServiceNoMatch');
  return 'no-match';
}

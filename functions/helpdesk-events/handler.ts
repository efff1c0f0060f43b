/**
 * The project's event bus → helpdesk events (TicketStateChanged, AgentReplied,
 * CustomerStatusChanged, LinkRequested; shared/events/helpdesk.ts) and the portal's self-service
 * requests (SelfServiceLinkRequested, from our own source), each applied once by its id.
 * The same function runs the outbox relay on a schedule (`{ "task": "relay-outbox" }`), and answers
 * the ops CLI, which invokes it with the same events and reads the outcome.
 *
 * A malformed event is logged with its reason, counted and thrown, so it ends in the function's
 * failure destination without anything applied; a failure that may pass is thrown for Lambda to retry.
 */
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { MalformedEventError, NotFoundError, RefusedError } from '../../shared/errors.js';
import { parseHelpdeskEvent } from '../../shared/events/helpdesk.js';
import { applyHelpdeskEvent, type ApplyOutcome } from '../../shared/use-cases/apply-helpdesk-event.js';
import { relayOutbox } from '../../shared/use-cases/relay-outbox.js';
import type { EventsDeps } from './deps.js';

export const RELAY_TASK = 'relay-outbox';

export function makeHandler(deps: EventsDeps) {
  async function handleEvent(event: unknown, context?: Context): Promise<ApplyOutcome | { relayed: number; left: number }> {
    const request = context ? { function_request_id: context.awsRequestId } : {};
    if ((event as { task?: unknown })?.task === RELAY_TASK) {
      const log = deps.logger.withKeys({ ...request, task: RELAY_TASK });
      const { published, left } = await relayOutbox({ ...deps, logger: log });
      log.info('Outbox relayed', { published, left });
      return { relayed: published, left };
    }
    const parsed = parseHelpdeskEvent(event, { helpdesk: deps.config.HelpdeskEventSource, own: deps.config.EventSource });
    if (!parsed.ok) {
      deps.metrics.count('EventMalformed');
      deps.logger.withKeys(request).error('Malformed helpdesk event', { problems: parsed.problems });
      throw new MalformedEventError(`Malformed helpdesk event: ${parsed.problems.join('; ')}`);
    }
    const log = deps.logger.withKeys({ ...request, eventId: parsed.event.id, detailType: parsed.event.type });
    try {
      const outcome = await applyHelpdeskEvent({ ...deps, logger: log }, parsed.event);
      log.info('Helpdesk event', { status: outcome.status });
      return outcome;
    } catch (e) {
      deps.metrics.count(e instanceof NotFoundError || e instanceof RefusedError ? 'EventRefused' : 'EventFailed');
      log.error('Helpdesk event failed', e as Error);
      throw e;
    }
  }
  return Object.assign(middy(handleEvent).use(logMetrics(deps.powertools.metrics)), { handleEvent });
}

/**
 * The sweep, on its EventBridge schedule (SweepSchedule) or invoked by `ota sweep [--now <ISO time>]`.
 * Reserved concurrency 1 in AWS, and correct without it: every step is idempotent.
 */
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { MalformedEventError } from '../../shared/errors.js';
import { sweepClosedTickets, type SweepReport } from '../../shared/use-cases/sweep-closed-tickets.js';
import type { SweepFunctionDeps } from './deps.js';

export function makeHandler(deps: SweepFunctionDeps) {
  async function handleSweep(event: unknown, context?: Context): Promise<SweepReport> {
    // A scheduled event carries nothing we need; the CLI may name the moment to sweep as of.
    const asOf = (event as { now?: unknown } | null)?.now;
    if (asOf !== undefined && (typeof asOf !== 'string' || Number.isNaN(Date.parse(asOf)))) throw new MalformedEventError(`now: expected an ISO time, got ${String(asOf).slice(0, 40)}`);
    const log = deps.logger.withKeys(context ? { function_request_id: context.awsRequestId } : {});
    try {
      return await sweepClosedTickets({ ...deps, logger: log }, { now: asOf ? new Date(asOf) : undefined, remainingMs: context ? () => context.getRemainingTimeInMillis() : undefined });
    } catch (e) {
      deps.metrics.count('SweepFailed');
      log.error('Sweep failed', e as Error);
      throw e;
    }
  }
  return Object.assign(middy(handleSweep).use(logMetrics(deps.powertools.metrics)), { handleSweep });
}

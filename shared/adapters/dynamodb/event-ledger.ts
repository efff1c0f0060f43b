/**
 * Incoming helpdesk events applied at most once: EVENT#<id> items with a lease, then the outcome.
 * The lease is the one every "apply once" path holds (lease-conditions.ts): a redelivery finds the
 * event done (answered from here) or leased (in flight elsewhere); a lease that ran out (the
 * invocation died) or was given back is taken over.
 */
import type { EventLedger, LedgerClaim } from '../../ports/events.js';
import { epochSeconds, keys } from './keys.js';
import { leaseConditions } from './lease-conditions.js';
import type { DynamoTable } from './table.js';

const DAY_S = 86_400;
const APPLYING = 'applying';

export class DynamoEventLedger implements EventLedger {
  constructor(private readonly table: DynamoTable) {}

  async claim(eventId: string, now: string, leaseUntil: string, ttlDays: number): Promise<LedgerClaim> {
    const claimed = await this.table.put({
      Item: { ...keys.event(eventId), entity: 'event', eventId, status: APPLYING, leaseUntil, ttl: epochSeconds(leaseUntil) + ttlDays * DAY_S },
      // Nothing to carry on from an earlier attempt, so no read first: new or stale, in one request.
      ...leaseConditions.claimNewOrStale(APPLYING, now),
    });
    if (claimed) return { claimed: true };
    const existing = await this.table.get(keys.event(eventId));
    return { claimed: false, done: existing?.status === 'done' };
  }

  async complete(eventId: string, outcome: string, now: string, ttlDays: number): Promise<void> {
    await this.table.batchWrite([{ put: { ...keys.event(eventId), entity: 'event', eventId, status: 'done', outcome, ttl: epochSeconds(now) + ttlDays * DAY_S } }]);
  }

  async release(eventId: string, leaseUntil: string): Promise<void> {
    await this.table.update({ Key: keys.event(eventId), ...leaseConditions.release(leaseUntil) });
  }
}

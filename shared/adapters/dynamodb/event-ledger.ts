/** Incoming helpdesk events applied at most once: EVENT#<id> items with a lease, then the outcome. */
import type { EventLedger, LedgerClaim } from '../../ports/events.js';
import { epochSeconds, keys } from './keys.js';
import type { DynamoTable } from './table.js';

const DAY_S = 86_400;

export class DynamoEventLedger implements EventLedger {
  constructor(private readonly table: DynamoTable) {}

  async claim(eventId: string, now: string, leaseUntil: string, ttlDays: number): Promise<LedgerClaim> {
    const claimed = await this.table.put({
      Item: { ...keys.event(eventId), entity: 'event', eventId, status: 'applying', leaseUntil, ttl: epochSeconds(leaseUntil) + ttlDays * DAY_S },
      // First delivery claims it; a redelivery finds it done (answered from here) or leased
      // (in flight elsewhere); a lease that ran out (the invocation died) is taken over.
      ConditionExpression: 'attribute_not_exists(pk) OR (#status = :applying AND leaseUntil < :now)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':applying': 'applying', ':now': now },
    });
    if (claimed) return { claimed: true };
    const existing = await this.table.get(keys.event(eventId));
    return { claimed: false, done: existing?.status === 'done' };
  }

  async complete(eventId: string, outcome: string, now: string, ttlDays: number): Promise<void> {
    await this.table.batchWrite([{ put: { ...keys.event(eventId), entity: 'event', eventId, status: 'done', outcome, ttl: epochSeconds(now) + ttlDays * DAY_S } }]);
  }

  async release(eventId: string, leaseUntil: string): Promise<void> {
    await this.table.update({
      Key: keys.event(eventId),
      UpdateExpression: 'SET leaseUntil = :past',
      // Only our own lease.
      ConditionExpression: 'leaseUntil = :lease',
      ExpressionAttributeValues: { ':lease': leaseUntil, ':past': '1970-01-01T00:00:00.000Z' },
    });
  }
}

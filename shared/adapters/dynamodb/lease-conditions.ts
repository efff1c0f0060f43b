/**
 * The one lease, as DynamoDB conditions. Every "apply once" item (an inbound delivery, a helpdesk
 * event) carries `status` and `leaseUntil` (ISO time); an item without `leaseUntil` was given back.
 * These are the only conditions that claim, take over and release such an item; when to use which
 * is shared/use-cases/lease.ts's side (docs/data-model.md draws the delivery's states).
 *
 * Two ways to take over a stale claim, for two kinds of caller:
 * - `takeOverSeen`: the caller read the item first (a delivery is read in the inbound path's batched
 *   snapshot anyway) and carries its state on (the claimed ticket number); it wins only if nothing
 *   changed since.
 * - `claimNewOrStale`: the caller has nothing to carry on (a helpdesk event) and claims without
 *   reading: one request whether the item is new or its lease ran out.
 */
import type { PutCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';

type Condition = Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

export const leaseConditions = {
  /** The first claim: of concurrent claimers exactly one creates the item. */
  claimNew: (): Condition => ({ ConditionExpression: 'attribute_not_exists(pk)' }),

  /** Taking over from what the taker read: the same status and the same lease (or none), so of two takers only one wins. */
  takeOverSeen: (seen: { status: string; leaseUntil?: string }): Condition => ({
    ConditionExpression: `#status = :status AND ${seen.leaseUntil ? 'leaseUntil = :lease' : 'attribute_not_exists(leaseUntil)'}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': seen.status, ...(seen.leaseUntil ? { ':lease': seen.leaseUntil } : {}) },
  }),

  /**
   * New, or still in `status` with a lease that ran out before `now` (its invocation died) or was
   * given back. The winner writes a lease in the future, so a second taker's condition fails.
   */
  claimNewOrStale: (status: string, now: string): Condition => ({
    ConditionExpression: 'attribute_not_exists(pk) OR (#status = :status AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': status, ':now': now },
  }),

  /** Giving back only our own lease: a taker that already replaced it keeps its claim. */
  release: (leaseUntil: string): Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'> => ({
    UpdateExpression: 'REMOVE leaseUntil',
    ConditionExpression: 'leaseUntil = :lease',
    ExpressionAttributeValues: { ':lease': leaseUntil },
  }),
};

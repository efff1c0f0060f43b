/**
 * Deliveries on DynamoDB. The delivery item is the inbound path's commit point; its key is the
 * mail's dedup key (docs/data-model.md), so redeliveries and copies of one mail meet on one item.
 */
import type { Delivery } from '../../domain/model.js';
import type { ClaimResult, DeliveryRepository } from '../../ports/deliveries.js';
import type { Page, PageRequest } from '../../ports/paging.js';
import { deliveryItem, read } from './items.js';
import { byTypeQuery, INDEX_VALUES } from './indexes.js';
import { keys } from './keys.js';
import { leaseConditions } from './lease-conditions.js';
import type { DynamoTable } from './table.js';

export class DynamoDeliveryRepository implements DeliveryRepository {
  constructor(private readonly table: DynamoTable) {}

  async get(key: string) {
    return deliveryItem.from(await this.table.get(keys.delivery(key)));
  }

  async record(delivery: Delivery, ttlDays: number): Promise<boolean> {
    // A redelivery of a rejected or ignored mail must not count twice.
    return this.table.put({ Item: deliveryItem.to(delivery, ttlDays), ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async claim(delivery: Delivery, ttlDays: number, expected?: Pick<Delivery, 'status' | 'leaseUntil'>): Promise<ClaimResult> {
    // The commit point: of concurrent deliveries of one mail exactly one claims it; a stale claim
    // is taken over only from the status and lease seen (lease-conditions.ts).
    const condition = expected ? leaseConditions.takeOverSeen(expected) : leaseConditions.claimNew();
    const claimed = await this.table.put({ Item: deliveryItem.to(delivery, ttlDays), ...condition });
    if (claimed) return { claimed: true };
    const existing = await this.get(delivery.key);
    // Vanished between the failed condition and the read (TTL): report it in flight; a retry settles it.
    return { claimed: false, existing: existing ?? { ...delivery, status: 'processing' } };
  }

  async release(key: string, leaseUntil: string): Promise<void> {
    await this.table.update({ Key: keys.delivery(key), ...leaseConditions.release(leaseUntil) });
  }

  async addCopy(key: string, deliveryId: string): Promise<void> {
    await this.table.update({
      Key: keys.delivery(key),
      UpdateExpression: 'ADD copies :id',
      // Only on a delivery that exists: a copy must never create a half delivery item.
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':id': new Set([deliveryId]) },
    });
  }

  async list(page: PageRequest = {}): Promise<Page<Delivery>> {
    const out = await this.table.query(byTypeQuery(INDEX_VALUES.deliveriesType, true), page);
    return { items: out.items.map(read.delivery), cursor: out.cursor };
  }
}

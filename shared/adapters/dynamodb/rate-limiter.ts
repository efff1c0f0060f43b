/**
 * Rate limits as one conditional UpdateItem per take: the bucket is a string set of members, grown
 * only while it holds fewer than the limit. A member already in it passes without growing it, so
 * the same delivery retried never counts twice. The bucket's TTL removes it after its window.
 */
import type { RateLimiter } from '../../ports/limits.js';
import { epochSeconds, keys } from './keys.js';
import type { DynamoTable } from './table.js';

export class DynamoRateLimiter implements RateLimiter {
  constructor(private readonly table: DynamoTable) {}

  async take(bucket: string, member: string, limit: number, expiresAt: string): Promise<boolean> {
    if (limit <= 0) return false;
    const after = await this.table.update({
      Key: keys.limit(bucket),
      UpdateExpression: 'ADD members :member SET #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(members) OR size(members) < :limit OR contains(members, :id)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':member': new Set([member]), ':limit': limit, ':id': member, ':ttl': epochSeconds(expiresAt) },
    });
    return after !== undefined;
  }
}

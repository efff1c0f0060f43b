/** TokenRepository on DynamoDB: token items live in their ticket's partition (TOKEN#<hash>). */
import type { TokenRecord } from '../../domain/model.js';
import type { TokenRepository } from '../../ports/tokens.js';
import type { AlsoWrite } from '../../ports/writes.js';
import { alsoWrites, type TrailSettings } from './also-writes.js';
import { read, tokenItem } from './items.js';
import { epochSeconds, keys, PREFIX } from './keys.js';
import type { DynamoTable } from './table.js';

export class DynamoTokenRepository implements TokenRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly trail: TrailSettings,
  ) {}

  async get(ticketNumber: string, hash: string) {
    return tokenItem.from(await this.table.get(keys.token(ticketNumber, hash)));
  }

  async listByTicket(ticketNumber: string): Promise<TokenRecord[]> {
    return (await this.queryTokens(ticketNumber)).map(read.token).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async recordSent(token: TokenRecord, also: AlsoWrite = {}, removeAt?: string): Promise<void> {
    await this.table.batchWrite([{ put: tokenItem.to(token, removeAt && removeAt < token.expiresAt ? removeAt : token.expiresAt) }, ...alsoWrites(also, this.trail)]);
  }

  async setTtl(ticketNumber: string, hash: string, expiresAt: string): Promise<void> {
    await this.table.update({
      Key: keys.token(ticketNumber, hash),
      UpdateExpression: 'SET #ttl = :ttl',
      // A token that was never mailed has no item: moving its TTL must not create one.
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':ttl': epochSeconds(expiresAt) },
    });
  }

  async deleteAll(ticketNumber: string): Promise<{ deleted: number; read: number }> {
    const items = await this.queryTokens(ticketNumber, true);
    await this.table.batchWrite(items.map((i) => ({ delete: { pk: String(i.pk), sk: String(i.sk) } })));
    return { deleted: items.length, read: items.length };
  }

  private queryTokens(ticketNumber: string, keysOnly = false) {
    return this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :token)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketNumber).pk, ':token': PREFIX.token },
      ...(keysOnly ? { ProjectionExpression: 'pk, sk' } : {}),
      ConsistentRead: true,
    });
  }
}

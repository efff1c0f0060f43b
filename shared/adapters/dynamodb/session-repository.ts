/**
 * Sessions on DynamoDB, keyed by the SHA-256 of the session id (the id itself is never stored).
 * Reading a session and extending it is one conditional UpdateItem, so a portal page costs one
 * request for the session and one for its data.
 */
import type { Session } from '../../domain/model.js';
import type { SessionRepository, TouchResult } from '../../ports/sessions.js';
import type { AlsoWrite } from '../../ports/writes.js';
import { alsoWrites, type TrailSettings } from './also-writes.js';
import { sessionItem } from './items.js';
import { INDEX_VALUES } from './indexes.js';
import { keys } from './keys.js';
import { INDEXES } from './table-definition.js';
import type { DynamoTable } from './table.js';

export class DynamoSessionRepository implements SessionRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly trail: TrailSettings,
  ) {}

  async start(session: Session, also: AlsoWrite = {}): Promise<void> {
    await this.table.batchWrite([{ put: sessionItem.to(session) }, ...alsoWrites(also, this.trail)]);
  }

  async touch(idHash: string, now: string, idleCutoff: string): Promise<TouchResult> {
    const after = await this.table.update({
      Key: keys.session(idHash),
      UpdateExpression: 'SET lastSeenAt = :now',
      // Both lifetimes are checked on the item itself: TTL deletes late, and an idle session must
      // not be revived by the request that finds it.
      ConditionExpression: 'attribute_exists(pk) AND lastSeenAt > :idleCutoff AND absoluteExpiresAt > :now',
      ExpressionAttributeValues: { ':now': now, ':idleCutoff': idleCutoff },
      ReturnValues: 'ALL_NEW',
    });
    if (after) return { found: true, session: sessionItem.from(after) as Session };
    // Failure path only: tell an expired session (worth a trail entry) from an unknown id.
    const expired = sessionItem.from(await this.table.get(keys.session(idHash)));
    return expired ? { found: false, expired } : { found: false };
  }

  async end(idHash: string, also: AlsoWrite = {}): Promise<void> {
    await this.table.batchWrite([{ delete: keys.session(idHash) }, ...alsoWrites(also, this.trail)]);
  }

  async endAllOf(customerLogin: string): Promise<number> {
    const { byCustomer } = INDEXES;
    const items = await this.table.queryAll({
      IndexName: byCustomer.name,
      KeyConditionExpression: '#pk = :customer AND begins_with(#sk, :session)',
      ExpressionAttributeNames: { '#pk': byCustomer.partitionKey, '#sk': byCustomer.sortKey },
      ExpressionAttributeValues: { ':customer': INDEX_VALUES.customerTickets(customerLogin), ':session': INDEX_VALUES.sessionPrefix },
      ProjectionExpression: 'pk, sk',
    });
    await this.table.batchWrite(items.map((i) => ({ delete: { pk: String(i.pk), sk: String(i.sk) } })));
    return items.length;
  }
}

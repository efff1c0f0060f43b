/**
 * The access trail on DynamoDB, in the ticket's partition: AUDIT#<at>#<id> items for each access
 * decision, and OPENS#<interval>#<name> items that count the opens or refusals of one link (or a
 * ticket's refused codes) in one interval (domain/trail.ts repeatsName). Every item has a TTL of AccessTrailDays.
 */
import { repeatsName, type Repeats, type TrailEntry } from '../../domain/trail.js';
import type { TrailRepository } from '../../ports/trail.js';
import { alsoWrites, type TrailSettings } from './also-writes.js';
import { read } from './items.js';
import { epochSeconds, keys, PREFIX } from './keys.js';
import type { DynamoTable } from './table.js';

const DAY_S = 86_400;

export class DynamoTrailRepository implements TrailRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly settings: TrailSettings,
  ) {}

  async record(entries: TrailEntry[]): Promise<void> {
    if (entries.length) await this.table.batchWrite(alsoWrites({ trail: entries }, this.settings));
  }

  async count(o: Repeats): Promise<void> {
    const detail = 'detail' in o ? o.detail : undefined;
    await this.table.update({
      Key: keys.opens(o.ticketNumber, o.interval, repeatsName(o)),
      // One item per name and interval, made by whichever repeat comes first and counted by every
      // later one: no condition, so concurrent counts add up instead of failing.
      UpdateExpression: `SET entity = :entity, ticketNumber = :number, #event = :event, #at = if_not_exists(#at, :at), lastAt = :at, #ttl = if_not_exists(#ttl, :ttl)${o.client ? ', client = if_not_exists(client, :client), lastClient = :client' : ''}${o.clientKind ? ', clientKind = :kind' : ''}${detail ? ', detail = :detail' : ''} ADD #count :count`,
      ExpressionAttributeNames: { '#event': 'event', '#at': 'at', '#ttl': 'ttl', '#count': 'count' },
      ExpressionAttributeValues: {
        ':entity': 'opens',
        ':number': o.ticketNumber,
        ':event': o.event,
        ':at': o.at,
        ':ttl': epochSeconds(o.interval) + this.settings.retentionDays * DAY_S,
        ':count': o.count,
        ...(o.client ? { ':client': o.client } : {}),
        ...(o.clientKind ? { ':kind': o.clientKind } : {}),
        ...(detail ? { ':detail': detail } : {}),
      },
    });
  }

  async list(ticketNumber: string): Promise<TrailEntry[]> {
    const all = (prefix: string) =>
      this.table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.ticket(ticketNumber).pk, ':prefix': prefix },
        ScanIndexForward: false,
      });
    const [audit, opens] = await Promise.all([all(PREFIX.audit), all(PREFIX.opens)]);
    return [...audit, ...opens].map(read.trail).sort((a, b) => b.at.localeCompare(a.at));
  }
}

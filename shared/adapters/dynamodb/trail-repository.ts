/** The access trail on DynamoDB: AUDIT#<at>#<id> items in the ticket's partition, each with a TTL. */
import type { TrailEntry } from '../../domain/model.js';
import type { TrailRepository } from '../../ports/trail.js';
import { alsoWrites, type TrailSettings } from './also-writes.js';
import { read } from './items.js';
import { keys, PREFIX } from './keys.js';
import type { DynamoTable } from './table.js';

export class DynamoTrailRepository implements TrailRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly settings: TrailSettings,
  ) {}

  async record(entries: TrailEntry[]): Promise<void> {
    if (entries.length) await this.table.batchWrite(alsoWrites({ trail: entries }, this.settings));
  }

  async list(ticketNumber: string): Promise<TrailEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketNumber).pk, ':audit': PREFIX.audit },
      ScanIndexForward: false,
    });
    return items.map(read.trail);
  }
}

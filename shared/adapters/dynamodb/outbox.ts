/** The outbox on DynamoDB: events written beside their data, removed once the bus accepted them. */
import type { OutboundEvent } from '../../domain/model.js';
import type { Outbox } from '../../ports/events.js';
import { read } from './items.js';
import { keys } from './keys.js';
import type { DynamoTable } from './table.js';

export class DynamoOutbox implements Outbox {
  constructor(private readonly table: DynamoTable) {}

  async pending(olderThan: string, limit: number): Promise<OutboundEvent[]> {
    const out = await this.table.query(
      { KeyConditionExpression: 'pk = :outbox AND sk < :before', ExpressionAttributeValues: { ':outbox': keys.outbox('', '').pk, ':before': olderThan } },
      { limit },
    );
    return out.items.map(read.outbox);
  }

  async remove(events: Pick<OutboundEvent, 'eventId' | 'at'>[]): Promise<void> {
    await this.table.batchWrite(events.map((e) => ({ delete: keys.outbox(e.at, e.eventId) })));
  }
}

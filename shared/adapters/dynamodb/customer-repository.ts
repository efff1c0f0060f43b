/** Reads customers: one by login (strongly consistent), or all of them alphabetically by login. */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../../domain/model.js';
import { customerItem } from './items.js';
import { INDEX_VALUES, keys } from './keys.js';
import { queryPage, type Page, type PageRequest } from './query.js';
import { INDEXES } from './table-definition.js';

export class DynamoCustomerRepository {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** `login` as stored: lower-cased (the caller normalises what a person typed). */
  async get(login: string): Promise<Customer | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.customer(login), ConsistentRead: true }));
    return customerItem.from(out.Item);
  }

  /** Sorted by login. Reads the byType index (eventually consistent), never the whole table. */
  async list(page: PageRequest = {}): Promise<Page<Customer>> {
    const { byType } = INDEXES;
    const out = await queryPage(
      this.db,
      {
        TableName: this.table,
        IndexName: byType.name,
        KeyConditionExpression: '#pk = :type',
        ExpressionAttributeNames: { '#pk': byType.partitionKey },
        ExpressionAttributeValues: { ':type': INDEX_VALUES.customersType },
      },
      page,
    );
    return { items: out.items.map((i) => customerItem.from(i) as Customer), cursor: out.cursor };
  }
}

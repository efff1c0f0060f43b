/** CustomerRepository on DynamoDB: one customer by login (strongly consistent); all of them through byType. */
import type { Customer } from '../../domain/model.js';
import type { CustomerRepository } from '../../ports/customers.js';
import type { Page, PageRequest } from '../../ports/paging.js';
import { customerItem, read } from './items.js';
import { byTypeQuery, INDEX_VALUES } from './indexes.js';
import { keys } from './keys.js';
import type { DynamoTable } from './table.js';

export class DynamoCustomerRepository implements CustomerRepository {
  constructor(private readonly table: DynamoTable) {}

  async get(login: string) {
    return customerItem.from(await this.table.get(keys.customer(login)));
  }

  async list(page: PageRequest = {}): Promise<Page<Customer>> {
    const out = await this.table.query(byTypeQuery(INDEX_VALUES.customersType, false), page);
    return { items: out.items.map(read.customer), cursor: out.cursor };
  }

  async setDisabled(login: string, disabled: boolean) {
    const after = await this.table.update({
      Key: keys.customer(login),
      UpdateExpression: 'SET disabled = :disabled',
      // Never creates a customer: disabling an unknown login is "not found", not a new record.
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':disabled': disabled },
      ReturnValues: 'ALL_NEW',
    });
    return after ? customerItem.from(after) : undefined;
  }

  async countFailedLogin(login: string): Promise<void> {
    await this.table.update({
      Key: keys.customer(login),
      UpdateExpression: 'ADD failedLogins :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
    });
  }
}

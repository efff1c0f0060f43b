/** Every repository over one table: for the ops CLI, the local stack's recovery and the tests. Functions build only what they use. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.js';
import type { RepositoryPorts } from '../../deps.js';
import { DynamoCustomerRepository } from './customer-repository.js';
import { DynamoDeliveryRepository } from './delivery-repository.js';
import { DynamoEventLedger } from './event-ledger.js';
import { DynamoInboundStore } from './inbound-store.js';
import { DynamoOutbox } from './outbox.js';
import { DynamoRateLimiter } from './rate-limiter.js';
import { DynamoSessionRepository } from './session-repository.js';
import { DynamoTable } from './table.js';
import { DynamoTicketRepository } from './ticket-repository.js';
import { DynamoTokenRepository } from './token-repository.js';
import { DynamoTrailRepository } from './trail-repository.js';

export function repositories(db: DynamoDBDocumentClient, tableName: string, config: Pick<Config, 'AccessTrailDays'>): RepositoryPorts & { table: DynamoTable } {
  const table = new DynamoTable(db, tableName);
  const trail = { retentionDays: config.AccessTrailDays };
  return {
    table,
    customers: new DynamoCustomerRepository(table),
    tickets: new DynamoTicketRepository(table, trail),
    tokens: new DynamoTokenRepository(table, trail),
    deliveries: new DynamoDeliveryRepository(table),
    inbound: new DynamoInboundStore(table, trail),
    sessions: new DynamoSessionRepository(table, trail),
    trail: new DynamoTrailRepository(table, trail),
    outbox: new DynamoOutbox(table),
    ledger: new DynamoEventLedger(table),
    limits: new DynamoRateLimiter(table),
  };
}

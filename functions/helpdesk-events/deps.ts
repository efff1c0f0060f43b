/** Dependencies of the helpdesk-events function, built once per container; overrides for tests. */
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.js';
import { DynamoEventLedger } from '../../shared/adapters/dynamodb/event-ledger.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
import { DynamoTicketRepository } from '../../shared/adapters/dynamodb/ticket-repository.js';
import { DynamoTokenRepository } from '../../shared/adapters/dynamodb/token-repository.js';
import { DynamoTrailRepository } from '../../shared/adapters/dynamodb/trail-repository.js';
import { codeKeyFrom } from '../../shared/code-key.js';
import { coreDeps, dynamoTable, type ClientOverrides, type CoreDeps, type RepositoryPorts } from '../../shared/deps.js';
import { onFirstUse } from '../../shared/first-use.js';
import { eventPublisher, sesMailer } from '../../shared/senders.js';
import type { HelpdeskDeps } from '../../shared/use-cases/apply-helpdesk-event.js';
import type { EventPublisher } from '../../shared/ports/events.js';
import type { HelpdeskFiles } from '../../shared/ports/files.js';

export type EventsDeps = CoreDeps & HelpdeskDeps & Pick<RepositoryPorts, 'outbox'> & { publisher: EventPublisher };

export function buildEventsDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<EventsDeps> & ClientOverrides = {}): EventsDeps {
  const core = coreDeps(env, overrides);
  const { table, trail } = dynamoTable(env, overrides, core.config);
  return {
    ...core,
    tickets: overrides.tickets ?? new DynamoTicketRepository(table, trail),
    tokens: overrides.tokens ?? new DynamoTokenRepository(table, trail),
    customers: overrides.customers ?? new DynamoCustomerRepository(table),
    sessions: overrides.sessions ?? new DynamoSessionRepository(table, trail),
    trail: overrides.trail ?? new DynamoTrailRepository(table, trail),
    ledger: overrides.ledger ?? new DynamoEventLedger(table),
    outbox: overrides.outbox ?? new DynamoOutbox(table),
    codeKey: overrides.codeKey ?? codeKeyFrom(env, overrides),
    mailer: overrides.mailer ?? sesMailer(env, overrides),
    publisher: overrides.publisher ?? eventPublisher(env, overrides, core.config),
    helpdeskFiles: overrides.helpdeskFiles ?? lazyHelpdeskFiles(env, overrides),
  };
}

/** Only an agent reply with files reads S3: its client loads then, not at every cold start. */
function lazyHelpdeskFiles(env: NodeJS.ProcessEnv, overrides: ClientOverrides): HelpdeskFiles {
  const files = onFirstUse(async () => (await import('../../shared/helpdesk-files.js')).helpdeskFiles(env, overrides));
  return { describe: async (key) => (await files()).describe(key) };
}

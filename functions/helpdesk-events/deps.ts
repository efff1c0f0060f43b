/** Dependencies of the helpdesk-events function, built once per container; overrides for tests. */
import { adapters, clients, coreDeps, repositories, tableName, type ClientOverrides, type CoreDeps, type RepositoryPorts } from '../../shared/deps.js';
import type { HelpdeskDeps } from '../../shared/use-cases/apply-helpdesk-event.js';
import type { EventPublisher } from '../../shared/ports/events.js';

export type EventsDeps = CoreDeps & HelpdeskDeps & Pick<RepositoryPorts, 'outbox'> & { publisher: EventPublisher };

export function buildEventsDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<EventsDeps> & ClientOverrides = {}): EventsDeps {
  const core = coreDeps(env, overrides);
  const repos = repositories(clients.db(env, overrides), tableName(env), core.config);
  return {
    ...core,
    tickets: overrides.tickets ?? repos.tickets,
    tokens: overrides.tokens ?? repos.tokens,
    customers: overrides.customers ?? repos.customers,
    sessions: overrides.sessions ?? repos.sessions,
    ledger: overrides.ledger ?? repos.ledger,
    outbox: overrides.outbox ?? repos.outbox,
    mailer: overrides.mailer ?? adapters.mailer(clients.ses(env, overrides)),
    publisher: overrides.publisher ?? adapters.publisher(env, clients.events(env, overrides), core.config),
  };
}

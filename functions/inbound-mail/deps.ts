/** Dependencies of the inbound-mail function, built once per container; overrides for tests. */
import { adapters, clients, coreDeps, repositories, tableName, type ClientOverrides, type CoreDeps } from '../../shared/deps.js';
import type { ReceiveMailDeps } from '../../shared/use-cases/receive-mail.js';

export type InboundDeps = ReceiveMailDeps & CoreDeps;

export function buildInboundDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<InboundDeps> & ClientOverrides = {}): InboundDeps {
  const core = coreDeps(env, overrides);
  const repos = repositories(clients.db(env, overrides), tableName(env), core.config);
  return {
    ...core,
    tickets: repos.tickets,
    tokens: repos.tokens,
    customers: repos.customers,
    deliveries: repos.deliveries,
    inbound: repos.inbound,
    limits: repos.limits,
    outbox: repos.outbox,
    rawMail: overrides.rawMail ?? adapters.rawMail(env, clients.s3(env, overrides)),
    mailer: overrides.mailer ?? adapters.mailer(clients.ses(env, overrides)),
    publisher: overrides.publisher ?? adapters.publisher(env, clients.events(env, overrides), core.config),
    ...pick(overrides, ['tickets', 'tokens', 'customers', 'deliveries', 'inbound', 'limits', 'outbox']),
  };
}

function pick<T extends object, K extends keyof T>(o: T, names: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(names.filter((n) => o[n] !== undefined).map((n) => [n, o[n]])) as Partial<Pick<T, K>>;
}

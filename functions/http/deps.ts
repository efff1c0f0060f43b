/** Dependencies of the HTTP function (links and portal), built once per container; overrides for tests. */
import { adapters, clients, coreDeps, repositories, tableName, type ClientOverrides, type CoreDeps } from '../../shared/deps.js';
import type { LinkDeps } from '../../shared/use-cases/issue-link.js';
import type { RedeemDeps } from '../../shared/use-cases/redeem-link.js';
import type { ReplyDeps } from '../../shared/use-cases/reply-in-portal.js';
import type { SessionDeps } from '../../shared/use-cases/portal-session.js';
import type { RepositoryPorts } from '../../shared/deps.js';

export type HttpDeps = CoreDeps &
  LinkDeps &
  RedeemDeps &
  ReplyDeps &
  SessionDeps &
  Pick<RepositoryPorts, 'customers' | 'sessions' | 'trail' | 'outbox' | 'limits'>;

export function buildHttpDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<HttpDeps> & ClientOverrides = {}): HttpDeps {
  const core = coreDeps(env, overrides);
  const repos = repositories(clients.db(env, overrides), tableName(env), core.config);
  return {
    ...core,
    tickets: overrides.tickets ?? repos.tickets,
    tokens: overrides.tokens ?? repos.tokens,
    customers: overrides.customers ?? repos.customers,
    sessions: overrides.sessions ?? repos.sessions,
    trail: overrides.trail ?? repos.trail,
    outbox: overrides.outbox ?? repos.outbox,
    limits: overrides.limits ?? repos.limits,
    // Mail only leaves on a refresh or a self-service request; the client is made on the first.
    mailer: overrides.mailer ?? lazyMailer(() => adapters.mailer(clients.ses(env, overrides))),
    publisher: overrides.publisher ?? adapters.publisher(env, clients.events(env, overrides), core.config),
  };
}

function lazyMailer(make: () => LinkDeps['mailer']): LinkDeps['mailer'] {
  let mailer: LinkDeps['mailer'] | undefined;
  return { send: (mail) => (mailer ??= make()).send(mail) };
}

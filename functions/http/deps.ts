/** Dependencies of the HTTP function (links and portal), built once per container; overrides for tests. */
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limiter.js';
import { DynamoSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
import { DynamoTicketRepository } from '../../shared/adapters/dynamodb/ticket-repository.js';
import { DynamoTokenRepository } from '../../shared/adapters/dynamodb/token-repository.js';
import { DynamoTrailRepository } from '../../shared/adapters/dynamodb/trail-repository.js';
import { codeKeyFrom } from '../../shared/code-key.js';
import { coreDeps, dynamoTable, type ClientOverrides, type CoreDeps, type RepositoryPorts } from '../../shared/deps.js';
import { OpenTally } from '../../shared/domain/open-tally.js';
import { onFirstUse } from '../../shared/first-use.js';
import type { EventPublisher } from '../../shared/ports/events.js';
import type { Mailer } from '../../shared/ports/mail.js';
import type { LinkDeps } from '../../shared/use-cases/issue-link.js';
import type { RedeemDeps } from '../../shared/use-cases/redeem-link.js';
import type { ReplyDeps } from '../../shared/use-cases/reply-in-portal.js';
import type { DownloadDeps } from '../../shared/use-cases/download-file.js';
import type { FileLinks, FileStore } from '../../shared/ports/files.js';
import { ENV } from '../../shared/env.js';
import type { SessionDeps } from '../../shared/use-cases/portal-session.js';

export type HttpDeps = CoreDeps &
  LinkDeps &
  RedeemDeps &
  ReplyDeps &
  SessionDeps &
  DownloadDeps &
  Pick<RepositoryPorts, 'customers' | 'sessions' | 'trail' | 'outbox' | 'limits'> & { opens: OpenTally };

export function buildHttpDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<HttpDeps> & ClientOverrides = {}): HttpDeps {
  const core = coreDeps(env, overrides);
  const { table, trail } = dynamoTable(env, overrides, core.config);
  return {
    ...core,
    tickets: overrides.tickets ?? new DynamoTicketRepository(table, trail),
    tokens: overrides.tokens ?? new DynamoTokenRepository(table, trail),
    customers: overrides.customers ?? new DynamoCustomerRepository(table),
    sessions: overrides.sessions ?? new DynamoSessionRepository(table, trail),
    trail: overrides.trail ?? new DynamoTrailRepository(table, trail),
    outbox: overrides.outbox ?? new DynamoOutbox(table),
    limits: overrides.limits ?? new DynamoRateLimiter(table),
    // Per container: repeated opens of one link are counted here and written now and then (open-link.ts).
    opens: overrides.opens ?? new OpenTally(),
    // Only a refresh and a sign-in with a code need the code key; it is read on first use.
    codeKey: overrides.codeKey ?? codeKeyFrom(env, overrides),
    // Mail leaves only on a refresh or a self-service request, events only on a customer's reopen or
    // self-service: their SDK clients are chunks of their own (infra/bundling.ts), imported and
    // made on first use, so a landing page, a redeem or a portal page never loads them.
    mailer: overrides.mailer ?? lazyMailer(onFirstUse(async () => (await import('../../shared/senders.js')).sesMailer(env, overrides))),
    publisher: overrides.publisher ?? lazyPublisher(onFirstUse(async () => (await import('../../shared/senders.js')).eventPublisher(env, overrides, core.config))),
    // Only an upload or a download touches S3: the client and the presigner load then (shared/files.ts).
    ...lazyFiles(onFirstUse(async () => (await import('../../shared/files.js')).portalFiles(env, overrides)), overrides),
    fileRetentionDays: overrides.fileRetentionDays ?? retentionDays(env[ENV.fileRetentionDays]),
  };
}

function lazyFiles(files: () => Promise<{ store: FileStore; links: FileLinks }>, overrides: Partial<HttpDeps>): { fileStore: FileStore; fileLinks: FileLinks } {
  return {
    fileStore: overrides.fileStore ?? { put: async (...args) => (await files()).store.put(...args) },
    fileLinks: overrides.fileLinks ?? { downloadUrl: async (...args) => (await files()).links.downloadUrl(...args) },
  };
}

function retentionDays(value: string | undefined): number | undefined {
  const days = Number(value);
  return value && Number.isInteger(days) && days > 0 ? days : undefined;
}

export { onFirstUse };

const lazyMailer = (mailer: () => Promise<Mailer>): Mailer => ({ send: async (mail) => (await mailer()).send(mail) });
/** As the port promises, a publisher that cannot be loaded fails the events (the outbox keeps them) rather than the request. */
export const lazyPublisher = (publisher: () => Promise<EventPublisher>): EventPublisher => ({
  publish: async (events) => {
    const loaded = await publisher().catch((e: unknown) => e as Error);
    return loaded instanceof Error ? { published: [], failed: events, error: `publisher not loaded: ${loaded.message}` } : loaded.publish(events);
  },
});

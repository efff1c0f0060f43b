/**
 * What every function's dependencies are built from, once per container: configuration, the AWS
 * clients (endpoints from the environment), the repositories over the one table, logger and
 * metrics. Each function's factory (functions/<name>/deps.ts) picks what its use cases need and
 * takes overrides, so tests build the same object around local peers, a fake clock or a counting client.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { loadConfig, type Config } from './config.js';
import { ENV, requireEnv } from './env.js';
import { createDynamoDbClient, createEventBridgeClient, createS3Client, createSesClient } from './adapters/aws-clients.js';
import { DynamoCustomerRepository } from './adapters/dynamodb/customer-repository.js';
import { DynamoDeliveryRepository } from './adapters/dynamodb/delivery-repository.js';
import { DynamoEventLedger } from './adapters/dynamodb/event-ledger.js';
import { DynamoInboundStore } from './adapters/dynamodb/inbound-store.js';
import { DynamoOutbox } from './adapters/dynamodb/outbox.js';
import { DynamoRateLimiter } from './adapters/dynamodb/rate-limiter.js';
import { DynamoSessionRepository } from './adapters/dynamodb/session-repository.js';
import { DynamoTable } from './adapters/dynamodb/table.js';
import { DynamoTicketRepository } from './adapters/dynamodb/ticket-repository.js';
import { DynamoTokenRepository } from './adapters/dynamodb/token-repository.js';
import { DynamoTrailRepository } from './adapters/dynamodb/trail-repository.js';
import { EventBridgePublisher } from './adapters/eventbridge/event-publisher.js';
import { S3RawMailStore } from './adapters/s3/raw-mail-store.js';
import { SesMailer } from './adapters/ses/ses-mailer.js';
import { createLogger, createMetrics, loggerPort, metricsPort } from './observability.js';
import { cryptoRandom, systemClock } from './system.js';
import type { Clock, Logger, Metrics, Random } from './ports/system.js';
import type { CustomerRepository } from './ports/customers.js';
import type { DeliveryRepository, InboundStore } from './ports/deliveries.js';
import type { EventLedger, Outbox } from './ports/events.js';
import type { RateLimiter } from './ports/limits.js';
import type { SessionRepository } from './ports/sessions.js';
import type { TicketRepository } from './ports/tickets.js';
import type { TokenRepository } from './ports/tokens.js';
import type { TrailRepository } from './ports/trail.js';

export interface CoreDeps {
  config: Config;
  clock: Clock;
  random: Random;
  logger: Logger;
  metrics: Metrics;
  powertools: { logger: PowertoolsLogger; metrics: PowertoolsMetrics };
}

export function coreDeps(env: NodeJS.ProcessEnv, overrides: Partial<CoreDeps> = {}): CoreDeps {
  const logger = overrides.powertools?.logger ?? createLogger(env);
  const metrics = overrides.powertools?.metrics ?? createMetrics(env);
  return {
    config: overrides.config ?? loadConfig(env),
    clock: overrides.clock ?? systemClock,
    random: overrides.random ?? cryptoRandom,
    logger: overrides.logger ?? loggerPort(logger),
    metrics: overrides.metrics ?? metricsPort(metrics),
    powertools: { logger, metrics },
  };
}

/** Every repository port; the DynamoDB adapters here, the in-memory fakes in test/support/memory.ts. */
export interface RepositoryPorts {
  customers: CustomerRepository;
  tickets: TicketRepository;
  tokens: TokenRepository;
  deliveries: DeliveryRepository;
  inbound: InboundStore;
  sessions: SessionRepository;
  trail: TrailRepository;
  outbox: Outbox;
  ledger: EventLedger;
  limits: RateLimiter;
}

/** The table's repositories; trail entries get their TTL from AccessTrailDays. */
export function repositories(db: DynamoDBDocumentClient, tableName: string, config: Config): RepositoryPorts & { table: DynamoTable } {
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


/** Clients a factory may be handed instead of creating its own (tests: counting or faulty clients). */
export interface ClientOverrides {
  db?: DynamoDBDocumentClient;
  s3?: S3Client;
  ses?: SESv2Client;
  events?: EventBridgeClient;
}

export const clients = {
  db: (env: NodeJS.ProcessEnv, o: ClientOverrides) => o.db ?? createDynamoDbClient(env),
  s3: (env: NodeJS.ProcessEnv, o: ClientOverrides) => o.s3 ?? createS3Client(env),
  ses: (env: NodeJS.ProcessEnv, o: ClientOverrides) => o.ses ?? createSesClient(env),
  events: (env: NodeJS.ProcessEnv, o: ClientOverrides) => o.events ?? createEventBridgeClient(env),
};

export const adapters = {
  rawMail: (env: NodeJS.ProcessEnv, s3: S3Client) => new S3RawMailStore(s3, requireEnv(env, ENV.rawMailBucket)),
  mailer: (ses: SESv2Client) => new SesMailer(ses),
  publisher: (env: NodeJS.ProcessEnv, events: EventBridgeClient, config: Config) => new EventBridgePublisher(events, requireEnv(env, ENV.eventBusName), config.EventSource),
};

export const tableName = (env: NodeJS.ProcessEnv) => requireEnv(env, ENV.tableName);

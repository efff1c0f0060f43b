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
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { loadConfig, type Config } from './config.js';
import { ENV, requireEnv } from './env.js';
import { createDynamoDbClient } from './adapters/aws-clients.js';
import { DynamoTable } from './adapters/dynamodb/table.js';
import type { TrailSettings } from './adapters/dynamodb/also-writes.js';
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

/**
 * The table a function's repositories share, and the trail's retention. Each function's factory
 * constructs only the repositories it uses, so its bundle (and so its role) holds no other
 * adapter; `repositories()` (adapters/dynamodb/repositories.ts) builds them all, for ops and tests.
 */
export function dynamoTable(env: NodeJS.ProcessEnv, o: ClientOverrides, config: Config): { table: DynamoTable; trail: TrailSettings } {
  return { table: new DynamoTable(dbClient(env, o), tableName(env)), trail: { retentionDays: config.AccessTrailDays } };
}

/** Clients a factory may be handed instead of creating its own (tests: counting or faulty clients). */
export interface ClientOverrides {
  db?: DynamoDBDocumentClient;
  s3?: S3Client;
  ses?: SESv2Client;
  events?: EventBridgeClient;
  secrets?: SecretsManagerClient;
}

// One function per client and adapter (not one object of them): a function's bundle keeps only
// what its factory calls.
export const dbClient = (env: NodeJS.ProcessEnv, o: ClientOverrides) => o.db ?? createDynamoDbClient(env);
export const tableName = (env: NodeJS.ProcessEnv) => requireEnv(env, ENV.tableName);


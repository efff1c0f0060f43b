/**
 * Builds the dependencies of every use case in one place, once per container. Tests build
 * the same object around local peers, or with fakes for one port.
 */
import { loadConfig, type Config } from './config.js';
import { ENV, requireEnv } from './env.js';
import { createDynamoDbClient, createS3Client, createSesClient } from './adapters/aws-clients.js';
import { DynamoInboundStore } from './adapters/dynamodb/inbound-store.js';
import { S3RawMailStore } from './adapters/s3/raw-mail-store.js';
import { SesMailer } from './adapters/ses/ses-mailer.js';
import { createLogger, createMetrics, loggerPort, metricsPort } from './observability.js';
import { cryptoRandom, systemClock } from './system.js';
import type { ReceiveMailDeps } from './use-cases/receive-mail.js';

export interface AppDeps extends ReceiveMailDeps {
  powertools: { logger: ReturnType<typeof createLogger>; metrics: ReturnType<typeof createMetrics> };
}

export function buildDeps(env: NodeJS.ProcessEnv = process.env, config: Config = loadConfig(env)): AppDeps {
  const table = requireEnv(env, ENV.tableName);
  const logger = createLogger();
  const metrics = createMetrics();
  return {
    config,
    clock: systemClock,
    random: cryptoRandom,
    rawMail: new S3RawMailStore(createS3Client(env), requireEnv(env, ENV.rawMailBucket)),
    store: new DynamoInboundStore(createDynamoDbClient(env), table),
    mailer: new SesMailer(createSesClient(env)),
    logger: loggerPort(logger),
    metrics: metricsPort(metrics),
    powertools: { logger, metrics },
  };
}

/** Dependencies of the inbound-mail function, built once per container; overrides for tests. */
import { DynamoCustomerRepository } from '../../shared/adapters/dynamodb/customer-repository.js';
import { DynamoDeliveryRepository } from '../../shared/adapters/dynamodb/delivery-repository.js';
import { DynamoInboundStore } from '../../shared/adapters/dynamodb/inbound-store.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limiter.js';
import { DynamoTicketRepository } from '../../shared/adapters/dynamodb/ticket-repository.js';
import { DynamoTokenRepository } from '../../shared/adapters/dynamodb/token-repository.js';
import { MimeMailParser } from '../../shared/adapters/mime/parse-mail.js';
import { codeKeyFrom } from '../../shared/code-key.js';
import { coreDeps, dynamoTable, type ClientOverrides, type CoreDeps } from '../../shared/deps.js';
import { S3RawMailStore } from '../../shared/adapters/s3/raw-mail-store.js';
import { ENV, requireEnv } from '../../shared/env.js';
import { eventPublisher, sesMailer } from '../../shared/senders.js';
import { fileStore } from '../../shared/files.js';
import { createS3Client } from '../../shared/adapters/s3/client.js';
import type { ReceiveMailDeps } from '../../shared/use-cases/receive-mail.js';

export type InboundDeps = ReceiveMailDeps & CoreDeps;

export function buildInboundDeps(env: NodeJS.ProcessEnv = process.env, given: Partial<InboundDeps> & ClientOverrides = {}): InboundDeps {
  // One S3 client for the raw mail it reads and the attachments it stores.
  const s3 = given.s3 ?? createS3Client(env);
  const overrides = { ...given, s3 };
  const core = coreDeps(env, overrides);
  const { table, trail } = dynamoTable(env, overrides, core.config);
  return {
    ...core,
    tickets: overrides.tickets ?? new DynamoTicketRepository(table, trail),
    tokens: overrides.tokens ?? new DynamoTokenRepository(table, trail),
    customers: overrides.customers ?? new DynamoCustomerRepository(table),
    deliveries: overrides.deliveries ?? new DynamoDeliveryRepository(table),
    inbound: overrides.inbound ?? new DynamoInboundStore(table, trail),
    limits: overrides.limits ?? new DynamoRateLimiter(table),
    outbox: overrides.outbox ?? new DynamoOutbox(table),
    rawMail: overrides.rawMail ?? new S3RawMailStore(s3, requireEnv(env, ENV.rawMailBucket)),
    fileStore: overrides.fileStore ?? fileStore(env, overrides),
    mailParser: overrides.mailParser ?? new MimeMailParser(),
    codeKey: overrides.codeKey ?? codeKeyFrom(env, overrides),
    mailer: overrides.mailer ?? sesMailer(env, overrides),
    publisher: overrides.publisher ?? eventPublisher(env, overrides, core.config),
  };
}

/**
 * The four functions: entry, service name, memory and timeout (each with its reason), and the
 * adapters its deps factory (functions/<name>/deps.ts) builds. The adapters decide the role
 * (infra/grants.ts); test/infra/permissions.test.ts checks each list against the function's bundle.
 */
import { Duration } from 'aws-cdk-lib';
import type { AdapterName } from './grants.js';

export interface FunctionSpec {
  /** Construct id in the stateless stack; also starts the output `<id>FunctionName`. */
  readonly id: string;
  readonly entry: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` of every log line and the dimension of every metric. */
  readonly serviceName: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly adapters: readonly AdapterName[];
}

const REPOSITORIES_OF_A_TICKET = ['DynamoTicketRepository', 'DynamoTokenRepository', 'DynamoCustomerRepository'] as const;

export const FUNCTIONS = {
  inboundMail: {
    id: 'InboundMail',
    entry: 'functions/inbound-mail/index.ts',
    serviceName: 'inbound-mail',
    description: 'SES receipt: stores the customer and ticket, mints a token, sends the auto-reply',
    // A 10 MB mail is parsed in memory (MIME, attachments, html-to-text); the bench measures its peak.
    memorySize: 512,
    // receive-mail's LEASE_MS (45 s) must stay longer than this, and shorter than Lambda's first retry.
    timeout: Duration.seconds(30),
    adapters: [
      ...REPOSITORIES_OF_A_TICKET,
      'DynamoDeliveryRepository',
      'DynamoInboundStore',
      'DynamoRateLimiter',
      'DynamoOutbox',
      'S3RawMailStore',
      'S3FileStore',
      'SesMailer',
      'EventBridgePublisher',
      'SecretsManagerCodeKey',
    ],
  },
  http: {
    id: 'Http',
    entry: 'functions/http/index.ts',
    serviceName: 'http',
    description: 'API Gateway: link landing and redeem, the customer portal',
    // A person waits on every request: Lambda's CPU share grows with memory, and a cold start is
    // mostly CPU-bound module loading.
    memorySize: 512,
    // Far below the HTTP API's 30 s integration limit: a page is two or three table requests, a
    // refresh one SES send (10 s request timeout in aws-clients.ts).
    timeout: Duration.seconds(15),
    adapters: [
      ...REPOSITORIES_OF_A_TICKET,
      'DynamoSessionRepository',
      'DynamoTrailRepository',
      'DynamoOutbox',
      'DynamoRateLimiter',
      'S3FileStore',
      'S3FileLinks',
      'SesMailer',
      'EventBridgePublisher',
      'SecretsManagerCodeKey',
    ],
  },
  helpdeskEvents: {
    id: 'HelpdeskEvents',
    entry: 'functions/helpdesk-events/index.ts',
    serviceName: 'helpdesk-events',
    description: 'Helpdesk events from the bus (state changes, agent replies) and the scheduled outbox relay',
    // Small events and a few table writes; an agent reply is one rendered mail.
    memorySize: 256,
    // An agent reply may wait on one SES send with its send-safe retries; the relay publishes in batches of 100.
    timeout: Duration.seconds(30),
    adapters: [
      ...REPOSITORIES_OF_A_TICKET,
      'DynamoSessionRepository',
      'DynamoTrailRepository',
      'DynamoEventLedger',
      'DynamoOutbox',
      'S3HelpdeskFiles',
      'SesMailer',
      'EventBridgePublisher',
      'SecretsManagerCodeKey',
    ],
  },
  sweep: {
    id: 'Sweep',
    entry: 'functions/sweep/index.ts',
    serviceName: 'sweep',
    description: 'Deletes the tokens of tickets closed longer than AccessDaysAfterClose',
    // Pages of due tickets and their token keys only; memory is never the limit.
    memorySize: 256,
    // The sweep stops SWEEP_MARGIN_MS (20 s) before its deadline and the next run resumes, so the
    // timeout only bounds one run's work; five minutes covers tens of thousands of due tickets.
    timeout: Duration.minutes(5),
    adapters: ['DynamoTicketRepository', 'DynamoTokenRepository'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof FUNCTIONS;

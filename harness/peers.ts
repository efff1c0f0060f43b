/**
 * Per-suite local peers: dynalite in memory, the SES emulator, s3rver in a temp dir. Each
 * suite gets its own table and bucket, so suites never see each other's data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LOCAL_CREDENTIALS } from '../shared/adapters/aws-clients.js';
import { createTable, startDynamoDb, startS3, startSes, type Peer } from '../local/peers.js';
import { startEventBus, type BusEvent, type EventBusPeer } from '../local/event-bus.js';

export const LOCAL = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };

export interface Peers {
  table: string;
  bucket: string;
  dynamo: Peer;
  ses: Peer;
  s3: Peer;
  bus: EventBusPeer;
  /** Environment a function would see, pointing at these peers. */
  env: Record<string, string>;
  docClient(): DynamoDBDocumentClient;
  sesClient(): SESv2Client;
  s3Client(): S3Client;
  eventsClient(): EventBridgeClient;
  putRawMail(key: string, body: string | Uint8Array): Promise<void>;
  /** The mails the SES emulator accepted, oldest first: all, or those to `to`. */
  outbox(to?: string): Promise<OutboxEmail[]>;
  /** What the system published on the bus, oldest first. */
  published(): BusEvent[];
  stop(): Promise<void>;
}

/** What an SES emulator at `url` accepted (its `/store`), oldest first: all mails, or those to `to`. */
export async function sesOutbox(url: string, to?: string): Promise<OutboxEmail[]> {
  const res = await fetch(new URL('store', url));
  const { emails } = (await res.json()) as { emails: OutboxEmail[] };
  return to === undefined ? emails : emails.filter((m) => m.destination.to.includes(to));
}

export interface OutboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

export async function startPeers(): Promise<Peers> {
  const dir = mkdtempSync(join(tmpdir(), 'ota-test-'));
  const table = `ota-${randomUUID().slice(0, 8)}`;
  const bucket = `raw-mail-${randomUUID().slice(0, 8)}`;
  const [dynamo, ses, s3, bus] = await Promise.all([
    startDynamoDb(),
    startSes(),
    startS3({ directory: dir, buckets: [bucket] }),
    startEventBus({ host: '127.0.0.1', port: 0, buses: ['ota-test'], log: () => undefined, retryDelaysMs: [10, 20] }),
  ]);
  await createTable(dynamo.url, table);
  const clients: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(c: T) => (clients.push(c), c);
  // As the functions' own client (shared/adapters/aws-clients.ts): s3rver would store a checksum trailer as content.
  const s3Client = () => track(new S3Client({ ...LOCAL, endpoint: s3.url, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }));
  return {
    table,
    bucket,
    dynamo,
    ses,
    s3,
    bus,
    env: {
      OTA_TABLE_NAME: table,
      OTA_RAW_MAIL_BUCKET: bucket,
      OTA_EVENT_BUS_NAME: 'ota-test',
      OTA_DYNAMODB_ENDPOINT: dynamo.url,
      OTA_SES_ENDPOINT: ses.url,
      OTA_S3_ENDPOINT: s3.url,
      OTA_EVENTS_ENDPOINT: bus.url,
      // The sign-in codes' key, as the local stack hands it to its functions (shared/code-key.ts).
      OTA_CODE_KEY: randomBytes(32).toString('base64url'),
      AWS_REGION: 'us-east-1',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    docClient: () => track(DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint: dynamo.url }), { marshallOptions: { removeUndefinedValues: true } })),
    sesClient: () => track(new SESv2Client({ ...LOCAL, endpoint: ses.url })),
    s3Client,
    eventsClient: () => track(new EventBridgeClient({ ...LOCAL, endpoint: bus.url })),
    async putRawMail(key, body) {
      const client = s3Client();
      // Bytes, not a string: the SDK then knows the length (an empty string would look like a stream).
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body), ContentLength: Buffer.byteLength(body) }));
    },
    outbox: (to) => sesOutbox(ses.url, to),
    published: () => bus.published(),
    async stop() {
      clients.forEach((c) => c.destroy());
      await Promise.all([dynamo.close(), ses.close(), s3.close(), bus.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

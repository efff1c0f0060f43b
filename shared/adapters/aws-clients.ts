/**
 * One factory per AWS service; each function creates its clients once per container. Endpoints
 * come from the environment so the same code talks to local peers. Every client has timeouts, so a
 * stalled peer fails a request instead of hanging the invocation until Lambda kills it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ENV } from '../env.js';
import { sendSafeRetries } from './ses/send-safe-retries.js';

type Env = NodeJS.ProcessEnv;

/** What the local peers accept (s3rver insists on these; the others take anything). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** An endpoint override means a local peer: fixed region and credentials. AWS uses the role. */
function localOptions(endpoint: string | undefined, env: Env) {
  if (!endpoint) return {};
  return { endpoint, region: env.AWS_REGION ?? 'us-east-1', credentials: LOCAL_CREDENTIALS };
}

/** Connection and request timeouts: short for the table, longer for mail and raw-mail reads. */
const handler = (requestTimeout: number) => new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout });

export function createDynamoDbClient(env: Env = process.env): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ ...localOptions(env[ENV.dynamodbEndpoint], env), requestHandler: handler(5_000) });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createS3Client(env: Env = process.env): S3Client {
  const endpoint = env[ENV.s3Endpoint];
  return new S3Client({ ...localOptions(endpoint, env), forcePathStyle: Boolean(endpoint), requestHandler: handler(15_000) });
}

/** Sending is not idempotent: only failures SES certainly did not accept are retried (send-safe-retries.ts). */
export function createSesClient(env: Env = process.env): SESv2Client {
  return new SESv2Client({ ...localOptions(env[ENV.sesEndpoint], env), requestHandler: handler(10_000), retryStrategy: sendSafeRetries });
}

export function createEventBridgeClient(env: Env = process.env): EventBridgeClient {
  return new EventBridgeClient({ ...localOptions(env[ENV.eventsEndpoint], env), requestHandler: handler(5_000) });
}

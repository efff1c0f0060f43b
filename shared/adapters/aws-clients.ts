/**
 * One factory per AWS service; clients are created once per container by the caller.
 * Endpoints come from the environment so the same code talks to local peers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { ENV } from '../env.js';

type Env = NodeJS.ProcessEnv;

/** What the local peers accept (s3rver insists on these; the others take anything). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** An endpoint override means a local peer: fixed region and credentials. AWS uses the role. */
function localOptions(endpoint: string | undefined, env: Env) {
  if (!endpoint) return {};
  return { endpoint, region: env.AWS_REGION ?? 'us-east-1', credentials: LOCAL_CREDENTIALS };
}

export function createDynamoDbClient(env: Env = process.env): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ ...localOptions(env[ENV.dynamodbEndpoint], env) });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createS3Client(env: Env = process.env): S3Client {
  const endpoint = env[ENV.s3Endpoint];
  return new S3Client({ ...localOptions(endpoint, env), forcePathStyle: Boolean(endpoint) });
}

export function createSesClient(env: Env = process.env): SESClient {
  return new SESClient({ ...localOptions(env[ENV.sesEndpoint], env) });
}

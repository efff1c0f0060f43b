/**
 * Local protocol peers from npm: dynalite (DynamoDB API), aws-ses-v2-local (SES API with an
 * outbox viewer) and s3rver (S3 API). Used by `npm start` and by the tests, so both talk to
 * the same peers the same way. Port 0 picks a free port.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import sesLocal from 'aws-ses-v2-local';
import S3rver from 's3rver';
import { createTableInput } from '../shared/adapters/dynamodb/table-definition.js';
import { LOCAL_CREDENTIALS } from '../shared/adapters/aws-clients.js';

export interface Peer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

/** dynalite in memory, or in LevelDB files under `path` so data survives a restart. */
export async function startDynamoDb(options: { port?: number; path?: string } = {}): Promise<Peer> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.path }) as Server;
  const port = await listen(server, options.port ?? 0);
  return { url: `http://${HOST}:${port}`, port, close: closer(server) };
}

export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e; // exists already: data from an earlier run
  } finally {
    client.destroy();
  }
}

type SesServerFn = (config?: { host?: string; port?: number }) => Promise<Server>;

/** The SES emulator keeps its outbox in memory; GET /store lists it, / shows it. */
export async function startSes(options: { port?: number } = {}): Promise<Peer> {
  const mod = sesLocal as unknown as SesServerFn | { default: SesServerFn };
  const start = typeof mod === 'function' ? mod : mod.default;
  const server = await start({ host: HOST, port: options.port ?? 0 });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${HOST}:${port}`, port, close: closer(server) };
}

export async function startS3(options: { port?: number; directory: string; buckets: string[] }): Promise<Peer> {
  mkdirSync(options.directory, { recursive: true });
  const s3 = new S3rver({ port: options.port ?? 0, address: HOST, directory: options.directory, silent: true });
  const info = (await s3.run()) as AddressInfo;
  const url = `http://${HOST}:${info.port}`;
  const client = new S3Client({ endpoint: url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  for (const Bucket of options.buckets) {
    try {
      await client.send(new CreateBucketCommand({ Bucket }));
    } catch (e) {
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((e as Error).name)) throw e;
    }
  }
  client.destroy();
  return { url, port: info.port, close: () => s3.close() };
}

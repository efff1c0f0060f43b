/**
 * dynalite in a process of its own, for `npm start`. Under load the stack's one process kept one
 * core busy, a quarter of it in dynalite (bench, --cpu-prof): apart, the functions and dynalite each
 * get a core. The parent talks to it over IPC: `{ ready: port }` once its data answers; it stops
 * when the parent says so, when the parent goes (the IPC channel closes — also after kill -9, so it
 * never outlives the stack holding the port and the LevelDB lock), or on a signal.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../shared/adapters/aws-clients.js';
import { startDynamoDb, type Peer } from './peers.js';

const CHILD_FLAG = 'OTA_DYNAMODB_CHILD';
/** A restart right after a kill -9 may find the old process still letting go of LevelDB's lock. */
const START_ATTEMPTS = 5;

/** Parent side: starts the process and resolves once it answers on its port. */
export async function startDynamoDbProcess(options: { port: number; path: string }): Promise<Peer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(options);
    } catch (e) {
      if (attempt >= START_ATTEMPTS) throw e;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function spawnOnce(options: { port: number; path: string }): Promise<Peer> {
  const child: ChildProcess = fork(import.meta.filename, [], {
    env: { ...process.env, [CHILD_FLAG]: JSON.stringify(options) },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the DynamoDB process exited (${code}) before it was ready`)));
    child.once('message', (message: { ready?: number }) => {
      const port = message.ready ?? 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: async () => {
          // Closing the channel is the stop signal: dynalite closes LevelDB (flushing it) and exits.
          if (child.connected) child.disconnect();
          await exited;
        },
      });
    });
  });
}

/** Child side: dynalite on the port, its data read once so a LevelDB that cannot open fails here. */
async function runChild(options: { port: number; path: string }): Promise<void> {
  const peer = await startDynamoDb(options);
  const client = new DynamoDBClient({ endpoint: peer.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(new ListTablesCommand({}));
  } finally {
    client.destroy();
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void peer.close().then(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ ready: peer.port });
}

const childOptions = process.env[CHILD_FLAG];
if (childOptions) {
  runChild(JSON.parse(childOptions) as { port: number; path: string }).catch((e: unknown) => {
    console.error(`[ota] DynamoDB process: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

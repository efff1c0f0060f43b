/** What every bench module shares: the repository root, a function's environment, suite shapes. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV } from '../shared/env.js';
import type { Peers } from '../harness/peers.js';
import type { BenchSettings } from './settings.js';
import type { LatencySummary } from './stats.js';

export { REPO_ROOT } from '../infra/bundling.js';

export interface FunctionSpec {
  /** Service name, as in infra (POWERTOOLS_SERVICE_NAME). */
  name: string;
  /** Entry relative to the repository root, exporting `handler`. */
  entry: string;
}

/** Where a function's clients point: the local peers, or dummy endpoints nothing listens on. */
export interface Endpoints {
  dynamodb: string;
  s3: string;
  ses: string;
  events: string;
  table: string;
  bucket: string;
}

/** Nothing connects at module init, so a closed port is enough for a cold import. */
export const DUMMY_ENDPOINTS: Endpoints = {
  dynamodb: 'http://127.0.0.1:9',
  s3: 'http://127.0.0.1:9',
  ses: 'http://127.0.0.1:9',
  events: 'http://127.0.0.1:9',
  table: 'ota-bench',
  bucket: 'ota-bench-raw-mail',
};

export const BENCH_CONFIG = { PortalUrl: 'https://portal.example.com', SupportAddress: 'support@example.com' };
/** The sign-in codes' key the functions get, as the local stack hands one over (shared/code-key.ts). */
const BENCH_CODE_KEY = Buffer.alloc(32, 0x42).toString('base64url');

export function peerEndpoints(peers: Peers): Endpoints {
  return { dynamodb: peers.dynamo.url, s3: peers.s3.url, ses: peers.ses.url, events: peers.bus.url, table: peers.table, bucket: peers.bucket };
}

/** The environment infra gives a function (ota-function.ts, stateless-stack.ts), endpoints overridden. */
export function functionEnv(fn: FunctionSpec, at: Endpoints, options: { sourceMaps: boolean }): Record<string, string> {
  return {
    // infra sets NODE_OPTIONS=--enable-source-maps on every function when ota:sourceMaps is true.
    ...(options.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    POWERTOOLS_SERVICE_NAME: fn.name,
    POWERTOOLS_METRICS_NAMESPACE: 'OneTimeAuthLinks',
    AWS_REGION: 'us-east-1',
    [ENV.tableName]: at.table,
    [ENV.rawMailBucket]: at.bucket,
    // The bus the local peers have (harness/peers.ts): the local bus refuses any other name.
    [ENV.eventBusName]: 'ota-test',
    [ENV.configJson]: JSON.stringify(BENCH_CONFIG),
    [ENV.codeKey]: BENCH_CODE_KEY,
    [ENV.dynamodbEndpoint]: at.dynamodb,
    [ENV.s3Endpoint]: at.s3,
    [ENV.sesEndpoint]: at.ses,
    [ENV.eventsEndpoint]: at.events,
  };
}

export interface SuiteContext {
  fn: FunctionSpec;
  /** The esbuild bundle of the function (as infra builds it). */
  bundleFile: string;
  peers: Peers;
  settings: BenchSettings;
  log(message: string): void;
}

export interface RequestCount {
  /** Requests per operation (one per command sent; SDK retries not counted). */
  total: number;
  /** Command name → count. */
  commands: Record<string, number>;
  /** Present only when runs disagreed: every distinct total seen. */
  totalsSeen?: number[];
}

export interface OperationResult {
  outcome: string;
  dynamoRequests: RequestCount;
  /** The DynamoDB requests the design allows this operation (docs/data-model.md); compared as a multiset. */
  expectedDynamoRequests?: { commands: string[]; asExpected: boolean };
  /** DynamoDB round trips: requests sent in parallel within one step count once (harness/fakes.ts countRequests). */
  dynamoRoundTrips?: { perRun: number; expectedAtMost: number; asExpected: boolean; seen?: number[] };
  /** Round trips to the other peers (S3 raw-mail read, SES send, event bus). */
  otherRequests: Record<string, RequestCount>;
  handlerLatencyMs: LatencySummary;
  /** A function served over HTTP: from fetch to the last byte of the body, through the local API Gateway. */
  requestLatencyMs?: LatencySummary;
  /** This operation's p99 as a multiple of the p99 of one GetCommand (OperationReport.getFloorMs). */
  p99VsGetFloor?: { request?: number; handler: number };
}

export interface OperationReport {
  /** What was timed and where: local peers, not AWS. */
  scope: string;
  operations: Record<string, OperationResult>;
  /** One GetCommand of one item on the same client and peer, timed beside the operations: the floor any request pays locally. */
  getFloorMs?: LatencySummary & { what: string };
}

export type OperationSuite = (ctx: SuiteContext) => Promise<OperationReport>;
export type PeakMemorySuite = (ctx: SuiteContext) => Promise<Record<string, unknown>>;

/**
 * A node:http server on a free loopback port: where a suite serves the HTTP function through the
 * local API Gateway stand-in. `base` is its address (links in mail must point at it: PortalUrl).
 */
export async function loopbackServer(): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

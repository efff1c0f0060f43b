/**
 * One factory per AWS service; each function creates its clients once per container. Endpoints
 * come from the environment so the same code talks to local peers. Every client has timeouts, so a
 * stalled peer fails a request instead of hanging the invocation until Lambda kills it. Under
 * Lambda with X-Ray tracing on, every SDK call is recorded as a subsegment (captureForXRay). The
 * senders' clients (SES, EventBridge) are made in shared/senders.ts, with these helpers: the HTTP
 * function imports that module only when it first sends. The S3 client is in s3/client.ts, apart, for
 * the same reason: importing this module for DynamoDB must not load the S3 SDK.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { InitializeMiddleware, MetadataBearer, MiddlewareStack, ResponseMetadata } from '@smithy/types';
import { ENV } from '../env.js';

export type Env = NodeJS.ProcessEnv;

/** What the local peers accept (s3rver insists on these; the others take anything). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** An endpoint override means a local peer: fixed region and credentials. AWS uses the role. */
export function localOptions(endpoint: string | undefined, env: Env) {
  if (!endpoint) return {};
  return { endpoint, region: env.AWS_REGION ?? 'us-east-1', credentials: LOCAL_CREDENTIALS };
}

/** Connection and request timeouts: short for the table, longer for mail and raw-mail reads. */
export const withTimeouts = (requestTimeout: number) => new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout });

export function createDynamoDbClient(env: Env = process.env): DynamoDBDocumentClient {
  const client = captureForXRay(new DynamoDBClient({ ...localOptions(env[ENV.dynamodbEndpoint], env), requestHandler: withTimeouts(5_000) }), env);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * X-Ray without the X-Ray SDK: aws-xray-sdk-core (and Powertools' tracer on top of it) would add
 * ~120 KB to every bundle and an async_hooks tracker to every await, for what is one timed
 * middleware here. When Lambda runs with active tracing it sets AWS_XRAY_DAEMON_ADDRESS, and per
 * invocation `_X_AMZN_TRACE_ID` (Root, Parent = the function's segment, Sampled). For a sampled
 * invocation each SDK call (all its retries) becomes one subsegment, sent as the SDK would: one
 * UDP datagram to the daemon. Unsampled, untraced or local runs send nothing; sending never fails a call.
 */
export function captureForXRay<C extends TracedClient>(client: C, env: Env): C {
  const daemon = parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS);
  if (!daemon) return client;
  let socket: Socket | undefined;
  const send = (doc: Record<string, unknown>) => {
    try {
      socket ??= createSocket('udp4').unref();
      socket.send(`{"format":"json","version":1}\n${JSON.stringify(doc)}`, daemon.port, daemon.host, () => {});
    } catch {
      // Tracing is best effort.
    }
  };
  const subsegment: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const trace = parseTraceHeader(env._X_AMZN_TRACE_ID);
    if (!trace) return next(args);
    const start = Date.now() / 1000;
    const input = args.input as { TableName?: unknown };
    const record = async (metadata: ResponseMetadata | undefined, error?: Error) => {
      const status = metadata?.httpStatusCode;
      const failed = error ? { [status && status < 500 ? 'error' : 'fault']: true, ...(status === 429 ? { throttle: true } : {}), cause: { exceptions: [{ id: segmentId(), type: error.name, remote: true }] } } : {};
      send({
        id: segmentId(),
        trace_id: trace.root,
        parent_id: trace.parent,
        type: 'subsegment',
        namespace: 'aws',
        name: (context.clientName ?? 'AWS').replace(/Client$/, ''),
        start_time: start,
        end_time: Date.now() / 1000,
        aws: {
          operation: (context.commandName ?? '').replace(/Command$/, ''),
          region: await client.config.region().catch(() => undefined),
          request_id: metadata?.requestId,
          retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
          // Resource names only: never keys or values, which may carry a token hash or an address.
          ...(typeof input.TableName === 'string' ? { table_name: input.TableName } : {}),
        },
        ...(status ? { http: { response: { status } } } : {}),
        ...failed,
      });
    };
    try {
      const out = await next(args);
      await record(out.output.$metadata);
      return out;
    } catch (e) {
      await record((e as Partial<MetadataBearer>).$metadata, e as Error);
      throw e;
    }
  };
  client.middlewareStack.add(subsegment, { step: 'initialize', name: 'otaXRaySubsegment' });
  return client;
}

type TracedClient = { middlewareStack: Pick<MiddlewareStack<object, MetadataBearer>, 'add'>; config: { region: () => Promise<string> } };
const segmentId = () => randomBytes(8).toString('hex');

/** `Root=1-…;Parent=…;Sampled=1`: the ids of a sampled invocation, else undefined. */
export function parseTraceHeader(header: string | undefined): { root: string; parent: string } | undefined {
  const fields = new Map((header ?? '').split(';').map((part) => part.trim().split('=') as [string, string]));
  const root = fields.get('Root');
  const parent = fields.get('Parent');
  return root && parent && fields.get('Sampled') === '1' ? { root, parent } : undefined;
}

/** `169.254.79.129:2000`, or the `tcp:… udp:…` form; segments go over UDP. */
function parseDaemonAddress(value: string | undefined): { host: string; port: number } | undefined {
  const udp = value?.split(' ').find((part) => part.startsWith('udp:'))?.slice(4) ?? value;
  const match = /^([^\s:]+):(\d+)$/.exec(udp ?? '');
  return match ? { host: match[1]!, port: Number(match[2]) } : undefined;
}

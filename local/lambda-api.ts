/**
 * Local stand-in for the Lambda Invoke API (restJson1), so the real `LambdaClient` with an
 * endpoint override invokes the same handlers the local stack runs — the ops CLI needs no
 * second code path. `Event` invocations run through async-invoke.ts like Lambda's own.
 *
 * Not emulated: versions and aliases (any qualifier runs $LATEST), timeouts (the handler only
 * sees the countdown), LogType=Tail, client context, payload limits beyond the 6 MB request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { asyncInvoker } from './async-invoke.js';
import { describeError, readBody, serveHttp } from './http-peer.js';

/** What a handler receives as its second argument; the deployed handlers are typed with it. */
export type LambdaContextLike = Context;

export type LocalHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export interface LambdaApiOptions {
  host: string;
  port: number;
  functions: Record<string, LocalHandler>;
  /** Per function; what getRemainingTimeInMillis counts down from (default 30 s). */
  timeoutMs?: Record<string, number>;
  log?: (line: string) => void;
  /** Delays before the two retries of an `Event` invocation (default 1 s and 2 s). */
  retryDelaysMs?: readonly [number, number];
}

export interface LambdaApiPeer {
  url: string;
  port: number;
  /** Resolves when every `Event` invocation started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const LOCAL_ARN_PREFIX = 'arn:aws:lambda:local:000000000000:function:';
const MAX_REQUEST_BYTES = 6 * 1024 * 1024; // Lambda's synchronous payload limit
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

export function lambdaContext(functionName: string, timeoutMs = DEFAULT_TIMEOUT_MS): LambdaContextLike {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `${LOCAL_ARN_PREFIX}${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `name`, `name:qualifier`, `123456789012:function:name[:qualifier]` or a full ARN. */
function parseFunctionName(raw: string): { name: string; qualifier?: string; arn?: string } {
  const parts = raw.split(':');
  if (raw.startsWith('arn:')) return { name: parts[6] ?? '', qualifier: parts[7], arn: raw };
  if (parts[1] === 'function') return { name: parts[2] ?? '', qualifier: parts[3] };
  return { name: parts[0] ?? '', qualifier: parts[1] };
}

function sendError(res: ServerResponse, status: number, type: string, message: string) {
  // The SDK takes the error's name from this header; `Type` and `message` fill its fields.
  const body = JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message });
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() });
  res.end(body);
}

/** The payload Lambda's Node.js runtime answers for an unhandled error. */
function errorPayload(e: unknown) {
  if (!(e instanceof Error)) return { errorType: typeof e, errorMessage: String(e), trace: [] };
  return { errorType: e.name, errorMessage: e.message, trace: e.stack?.split('\n') ?? [] };
}

export async function startLambdaApi(o: LambdaApiOptions): Promise<LambdaApiPeer> {
  const log = o.log ?? (() => undefined);
  const background = asyncInvoker({ log, retryDelaysMs: o.retryDelaysMs });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match?.[1]) return sendError(res, 404, 'UnknownOperationException', `Unknown operation ${req.method} ${url.pathname}`);

    const requested = decodeURIComponent(match[1]);
    const parsed = parseFunctionName(requested);
    const { name } = parsed;
    const fn = Object.hasOwn(o.functions, name) ? o.functions[name] : undefined;
    const qualifier = url.searchParams.get('Qualifier') ?? parsed.qualifier;
    const invokedArn = parsed.arn ?? `${LOCAL_ARN_PREFIX}${name}${qualifier ? `:${qualifier}` : ''}`;
    if (!fn) return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${invokedArn}`);

    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (!body) return sendError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`);
    let event: unknown;
    try {
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (e) {
      return sendError(res, 400, 'InvalidRequestContentException', `Could not parse request body into json: ${(e as Error).message}`);
    }

    const timeoutMs = o.timeoutMs?.[name] ?? DEFAULT_TIMEOUT_MS;
    const requestId = randomUUID();
    // Retries of one async invocation keep its request id, as in Lambda; each attempt gets a fresh deadline.
    const context = () => ({ ...lambdaContext(name, timeoutMs), awsRequestId: requestId, invokedFunctionArn: invokedArn });
    const headers = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };

    const invocationType = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    switch (invocationType) {
      case 'DryRun':
        res.writeHead(204, headers).end();
        return;
      case 'Event':
        res.writeHead(202, headers).end();
        background.invoke(`${name} ${requestId}`, () => fn(event, context()));
        return;
      case 'RequestResponse': {
        let payload: string;
        let functionError: Record<string, string> = {};
        try {
          payload = JSON.stringify((await fn(event, context())) ?? null);
        } catch (e) {
          log(`${name} ${requestId}: ${describeError(e)}`);
          payload = JSON.stringify(errorPayload(e));
          functionError = { 'x-amz-function-error': 'Unhandled' };
        }
        res.writeHead(200, { ...headers, ...functionError, 'content-type': 'application/json' }).end(payload);
        return;
      }
      default:
        return sendError(res, 400, 'InvalidParameterValueException', `Unsupported invocation type: ${String(invocationType)}`);
    }
  };

  const onError = (res: ServerResponse, e: unknown) => {
    log(`lambda api: ${describeError(e)}`);
    if (!res.headersSent) sendError(res, 500, 'ServiceException', 'Internal error in the local Lambda API');
    else res.destroy();
  };

  const server = await serveHttp(o.host, o.port, handle, onError);
  return {
    url: server.url,
    port: server.port,
    idle: () => background.idle(),
    async close() {
      await server.close();
      // As the bus: no waiting out retry delays. A raw mail left unanswered is replayed on the next start.
      background.cancel();
      await background.idle();
    },
  };
}

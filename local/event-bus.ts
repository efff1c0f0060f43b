/**
 * Local stand-in for EventBridge over its real JSON protocol (awsJson1_1), so the real
 * `EventBridgeClient` or the AWS CLI with an endpoint override talks to it: PutEvents on the buses
 * this stack has (`default` and the stack's own; a call naming any other bus is refused with
 * ResourceNotFoundException, as EventBridge's other operations refuse it), rules with event patterns and HTTP targets
 * over the API (event-rules.ts), and the rules the stack wires in code (`subscribe`), which hand
 * matching events to a function the way EventBridge invokes a Lambda function: asynchronously,
 * with Lambda's retries. `GET /store` lists the events as JSON, each in the envelope a rule target
 * receives; `GET /` shows them and the rules to people.
 *
 * Not emulated: schedules, archives and replays, input transformers, targets other than HTTP
 * endpoints on this machine, resource policies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asyncInvoker } from './async-invoke.js';
import { ClientError, sendJson } from './aws-json.js';
import { storePage } from './event-bus-page.js';
import { ACCOUNT, busName, RuleBook, type Envelope } from './event-rules.js';
import { describeError, readBody, serveHttp } from './http-peer.js';

export interface BusEvent {
  id: string;
  time: string;
  source: string;
  detailType: string;
  detail: unknown;
  eventBusName: string;
  resources: string[];
  account: string;
  region: string;
}

/** A rule the stack wires itself: source and detail-type lists, as its CDK rules have. */
export interface BusRule {
  name: string;
  eventBusName?: string;
  source?: string[];
  detailType?: string[];
  /** What the target is, as ListTargetsByRule shows it (the deployed target's ARN). */
  targetArn?: string;
}

export interface EventBusPeer {
  url: string;
  port: number;
  /**
   * Routes matching events to a target, like an EventBridge rule with a Lambda target: delivery
   * starts after PutEvents answered, carries the EventBridge envelope, and a failed call is
   * retried twice (`retryDelaysMs`), then logged as going to the failure destination.
   */
  subscribe(rule: BusRule, target: (event: unknown) => Promise<unknown>): void;
  /** Everything accepted so far, oldest first. */
  published(): BusEvent[];
  /** Resolves when every delivery started so far has finished (for tests and orderly shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface EventBusOptions {
  host: string;
  port: number;
  /** The buses besides `default` (which every account has). */
  buses?: readonly string[];
  log?: (line: string) => void;
  /** Delays before the two retries of a failed delivery (default 1 s and 2 s). */
  retryDelaysMs?: readonly [number, number];
}

const MAX_ENTRIES = 10;
// EventBridge sizes entries, not the request: Source + DetailType + Detail + Resources + 14 for Time.
const MAX_ENTRIES_BYTES = 256 * 1024;
// The raw body only needs a bound that keeps memory in check; JSON escaping makes it larger than the entries.
const MAX_BODY_BYTES = 4 * MAX_ENTRIES_BYTES;

interface RequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** The region the client signed for, so events carry the region the caller asked for. */
function signedRegion(req: IncomingMessage): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'us-east-1';
}

/** EventBridge's `time`: ISO 8601 to the second. The SDK sends `Time` as epoch seconds. */
function eventTime(value: unknown): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : new Date();
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function entrySize(e: RequestEntry): number {
  const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources.reduce((sum: number, r: unknown) => sum + bytes(r), 0) : 0;
  return bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + resources + (e.Time === undefined ? 0 : 14);
}

/** Per-entry checks: EventBridge fails the entry and accepts the rest of the batch. */
function entryProblem(e: RequestEntry): { ErrorCode: string; ErrorMessage: string } | undefined {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    const value = e[field];
    if (typeof value !== 'string' || value === '') {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
  }
  try {
    const detail: unknown = JSON.parse(e.Detail as string);
    if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) return undefined;
  } catch {
    // falls through: not JSON at all
  }
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}

function parseInput(body: Buffer): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ClientError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

/** What a rule's target receives. */
export function envelope(e: BusEvent): Envelope {
  return { version: '0', id: e.id, 'detail-type': e.detailType, source: e.source, account: e.account, time: e.time, region: e.region, resources: e.resources, detail: e.detail };
}

export async function startEventBus(o: EventBusOptions): Promise<EventBusPeer> {
  const log = o.log ?? (() => undefined);
  const deliveries = asyncInvoker({ log, retryDelaysMs: o.retryDelaysMs });
  const book = new RuleBook(new Set(['default', ...(o.buses ?? [])]));
  let events: BusEvent[] = [];

  const putEvents = (req: IncomingMessage, body: Buffer): { answer: { FailedEntryCount: number; Entries: ResultEntry[] }; accepted: BusEvent[] } => {
    const entries = parseInput(body).Entries;
    if (!Array.isArray(entries)) throw new ClientError('ValidationException', "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
      throw new ClientError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`);
    }
    const typed = entries.map((e: unknown) => (typeof e === 'object' && e !== null ? e : {}) as RequestEntry);
    if (typed.reduce((sum, e) => sum + entrySize(e), 0) > MAX_ENTRIES_BYTES) {
      throw new ClientError('ValidationException', 'Total size of the entries in the request is over the limit.');
    }

    // A bus that does not exist fails the whole call, loudly: EventBridge itself may accept such
    // entries and drop them, which is the mistake this stack should show, not repeat.
    for (const entry of typed) {
      try {
        book.requireBus(busName(entry.EventBusName));
      } catch (e) {
        log(`PutEvents refused: ${(e as Error).message}`);
        throw e;
      }
    }

    const region = signedRegion(req);
    const accepted: BusEvent[] = [];
    const results = typed.map((entry): ResultEntry => {
      const problem = entryProblem(entry);
      if (problem) return problem;
      const event: BusEvent = {
        id: randomUUID(),
        time: eventTime(entry.Time),
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        detail: JSON.parse(entry.Detail as string),
        eventBusName: busName(entry.EventBusName),
        resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r): r is string => typeof r === 'string') : [],
        account: ACCOUNT,
        region,
      };
      accepted.push(event);
      return { EventId: event.id };
    });
    events.push(...accepted);
    return { answer: { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }, accepted };
  };

  const deliver = (accepted: BusEvent[], answered: Promise<unknown>) => {
    for (const event of accepted) {
      const delivered = envelope(event);
      const targets = book.matching(event.eventBusName, delivered);
      log(`event ${event.id} ${event.source} / ${event.detailType} on ${event.eventBusName} → ${[...new Set(targets.map(({ rule }) => rule))].join(', ') || 'no rule'}`);
      for (const { rule, target } of targets) deliveries.invoke(`rule ${rule}, target ${target.id}, event ${event.id}`, () => target.call(delivered), answered);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method === 'GET' && path === '/store') return sendJson(res, 200, { events: events.map(envelope) }, 'application/json');
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(storePage(events, book.list()));
      return;
    }
    if (req.method === 'POST' && path === '/clear-store') {
      events = [];
      return sendJson(res, 200, { message: 'Store cleared' }, 'application/json');
    }
    if (req.method !== 'POST' || path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }

    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body) return sendJson(res, 413, { __type: 'ValidationException', message: 'Request entity too large.' });
    const target = String(req.headers['x-amz-target']);
    const operation = target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : '';
    if (operation !== 'PutEvents') {
      const run = Object.hasOwn(book.operations, operation) ? book.operations[operation] : undefined;
      if (!run) throw new ClientError('UnknownOperationException', `Operation ${target} is not supported by the local event bus`);
      return sendJson(res, 200, run(parseInput(body), signedRegion(req)));
    }

    const { answer, accepted } = putEvents(req, body);
    // Targets run after the caller has its answer, as with EventBridge; `close` fires after the last byte.
    deliver(accepted, new Promise((resolve) => res.once('close', resolve)));
    sendJson(res, 200, answer);
  };

  const onError = (res: ServerResponse, e: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (e instanceof ClientError) return sendJson(res, e.status, { __type: e.type, message: e.message });
    log(`event bus: ${describeError(e)}`);
    sendJson(res, 500, { __type: 'InternalException', message: 'Internal error in the local event bus' });
  };

  const server = await serveHttp(o.host, o.port, handle, onError);
  return {
    url: server.url,
    port: server.port,
    subscribe(rule, target) {
      if (rule.source?.length === 0 || rule.detailType?.length === 0) throw new Error(`Rule ${rule.name}: an empty list matches nothing (EventBridge rejects such a pattern)`);
      const pattern = { ...(rule.source ? { source: rule.source } : {}), ...(rule.detailType ? { 'detail-type': rule.detailType } : {}) };
      book.subscribe(rule.name, rule.eventBusName ?? 'default', pattern, rule.targetArn ?? 'in-process', target);
    },
    published: () => [...events],
    idle: () => deliveries.idle(),
    async close() {
      await server.close();
      // Stopping does not wait out Lambda's retry delays (a minute, then two): calls in progress finish.
      deliveries.cancel();
      await deliveries.idle();
    },
  };
}

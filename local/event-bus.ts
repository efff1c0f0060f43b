/**
 * Local stand-in for EventBridge: PutEvents over the real JSON protocol (awsJson1_1), so the
 * real `EventBridgeClient` with an endpoint override publishes to it, and rules that hand
 * matching events to a target the way EventBridge invokes a Lambda function: asynchronously,
 * with Lambda's retries. `GET /store` lists the events as JSON, `GET /` shows them to people.
 *
 * Not emulated: rules over the API (they are wired in code with `subscribe`), patterns beyond
 * source and detail-type, bus existence (every bus name is accepted), archives and replays.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../shared/html.js';
import { asyncInvoker } from './async-invoke.js';
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

export interface BusRule {
  name: string;
  eventBusName?: string;
  source?: string[];
  detailType?: string[];
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
  log?: (line: string) => void;
  /** Delays before the two retries of a failed delivery (default 1 s and 2 s). */
  retryDelaysMs?: readonly [number, number];
}

const MAX_ENTRIES = 10;
// EventBridge sizes entries, not the request: Source + DetailType + Detail + Resources + 14 for Time.
const MAX_ENTRIES_BYTES = 256 * 1024;
// The raw body only needs a bound that keeps memory in check; JSON escaping makes it larger than the entries.
const MAX_BODY_BYTES = 4 * MAX_ENTRIES_BYTES;
const ACCOUNT = '000000000000';
const JSON_1_1 = 'application/x-amz-json-1.1';

interface RequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

class ClientError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_1_1) {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}

/** The region the client signed for, so events carry the region the caller asked for. */
function signedRegion(req: IncomingMessage): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'us-east-1';
}

/** EventBusName may be a name or an ARN (`arn:aws:events:region:account:event-bus/name`). */
function busName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  return value.startsWith('arn:') ? value.slice(value.indexOf('/') + 1) : value;
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

function matches(rule: BusRule, event: BusEvent): boolean {
  return (
    (rule.eventBusName ?? 'default') === event.eventBusName &&
    (rule.source === undefined || rule.source.includes(event.source)) &&
    (rule.detailType === undefined || rule.detailType.includes(event.detailType))
  );
}

/** What a rule's target receives. */
function envelope(e: BusEvent) {
  return { version: '0', id: e.id, 'detail-type': e.detailType, source: e.source, account: e.account, time: e.time, region: e.region, resources: e.resources, detail: e.detail };
}

function storePage(events: BusEvent[]): string {
  const rows = [...events]
    .reverse()
    .map(
      (e) => `<tr><td>${escapeHtml(e.time)}</td><td>${escapeHtml(e.eventBusName)}</td><td>${escapeHtml(e.source)}</td><td>${escapeHtml(e.detailType)}</td>` +
        `<td><pre>${escapeHtml(JSON.stringify(e.detail, null, 2))}</pre></td><td><code>${escapeHtml(e.id)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Event bus — local stack</title></head><body>
<h1>Event bus — local stack</h1>
<p>${events.length} event(s), newest first. JSON: <a href="/store">/store</a></p>
<table><thead><tr><th>Time</th><th>Bus</th><th>Source</th><th>Detail type</th><th>Detail</th><th>Id</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
}

export async function startEventBus(o: EventBusOptions): Promise<EventBusPeer> {
  const log = o.log ?? (() => undefined);
  const deliveries = asyncInvoker({ log, retryDelaysMs: o.retryDelaysMs });
  const rules: { rule: BusRule; target: (event: unknown) => Promise<unknown> }[] = [];
  let events: BusEvent[] = [];

  const putEvents = (req: IncomingMessage, body: Buffer): { answer: { FailedEntryCount: number; Entries: ResultEntry[] }; accepted: BusEvent[] } => {
    let input: { Entries?: unknown };
    try {
      input = JSON.parse(body.toString('utf8')) as { Entries?: unknown };
    } catch {
      throw new ClientError('SerializationException', 'Start of structure or map found where not expected.');
    }
    const entries = input?.Entries;
    if (!Array.isArray(entries)) throw new ClientError('ValidationException', "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
      throw new ClientError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`);
    }
    const typed = entries.map((e: unknown) => (typeof e === 'object' && e !== null ? e : {}) as RequestEntry);
    if (typed.reduce((sum, e) => sum + entrySize(e), 0) > MAX_ENTRIES_BYTES) {
      throw new ClientError('ValidationException', 'Total size of the entries in the request is over the limit.');
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
      const targets = rules.filter(({ rule }) => matches(rule, event));
      log(`event ${event.id} ${event.source} / ${event.detailType} on ${event.eventBusName} → ${targets.map(({ rule }) => rule.name).join(', ') || 'no rule'}`);
      for (const { rule, target } of targets) deliveries.invoke(`rule ${rule.name}, event ${event.id}`, () => target(envelope(event)), answered);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method === 'GET' && path === '/store') return sendJson(res, 200, { events }, 'application/json');
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(storePage(events));
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
    const target = req.headers['x-amz-target'];
    if (target !== 'AWSEvents.PutEvents') throw new ClientError('UnknownOperationException', `Operation ${String(target)} is not supported by the local event bus`);

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
      const bus = rule.eventBusName ?? 'default';
      if (rules.some((r) => r.rule.name === rule.name && (r.rule.eventBusName ?? 'default') === bus)) throw new Error(`Rule ${rule.name} exists already on bus ${bus}`);
      rules.push({ rule, target });
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

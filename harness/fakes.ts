/** Test doubles for the ports that are about time, chance and observation — never for peers. */
import { randomBytes } from 'node:crypto';
import { staticCodeKey } from '../shared/code-key.js';
import type { MetricName } from '../shared/metric-names.js';
import type { Clock, Logger, Metrics } from '../shared/ports/system.js';

export class FakeClock implements Clock {
  constructor(private current = new Date('2026-11-25T10:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export class RecordingMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  count(name: MetricName, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }
  get(name: MetricName): number {
    return this.counts.get(name) ?? 0;
  }
}

export class RecordingLogger implements Logger {
  constructor(
    readonly lines: { level: string; message: string; extra?: unknown; keys?: Record<string, unknown> }[] = [],
    private readonly keys?: Record<string, unknown>,
  ) {}
  debug = (message: string, extra?: unknown) => this.lines.push({ level: 'debug', message, extra, keys: this.keys });
  info = (message: string, extra?: unknown) => this.lines.push({ level: 'info', message, extra, keys: this.keys });
  warn = (message: string, extra?: unknown) => this.lines.push({ level: 'warn', message, extra, keys: this.keys });
  error = (message: string, extra?: unknown) => this.lines.push({ level: 'error', message, extra, keys: this.keys });
  /** Lines recorded through a child land in the same list, with the child's keys. */
  withKeys = (keys: Record<string, unknown>): Logger => new RecordingLogger(this.lines, { ...this.keys, ...keys });
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/**
 * Counts DynamoDB requests (one per command sent, retries excluded) through an SDK middleware, and
 * the round trips they took: a request sent while another is still out joins its round trip (sent
 * together, as with Promise.all); one sent when none is out starts the next.
 */
export function countRequests(client: { middlewareStack: { add: (mw: never, opts: { step: 'initialize'; name: string }) => void } }) {
  const counter = { total: 0, commands: [] as string[], rounds: [] as string[][], inFlight: 0 };
  const middleware = ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    counter.total++;
    counter.commands.push(context.commandName ?? '?');
    if (counter.inFlight === 0) counter.rounds.push([]);
    counter.rounds.at(-1)?.push(context.commandName ?? '?');
    counter.inFlight++;
    try {
      return await next(args);
    } finally {
      counter.inFlight--;
    }
  }) as never;
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'countRequests' });
  return {
    get total() {
      return counter.total;
    },
    get commands() {
      return [...counter.commands];
    },
    /** The commands of each round trip, in order; within one, sorted (their order is the race's). */
    get rounds() {
      return counter.rounds.map((round) => [...round].sort());
    },
    get roundTrips() {
      return counter.rounds.length;
    },
    reset() {
      counter.total = 0;
      counter.commands.length = 0;
      counter.rounds.length = 0;
    },
  };
}

/**
 * Counts the items DynamoDB read for us (an SDK middleware on the responses): a Query's
 * ScannedCount, a BatchGet's responses, a GetItem's item. What the sweep's budget is about.
 */
export function countItemsRead(client: { middlewareStack: { add: (mw: never, opts: { step: 'initialize'; name: string }) => void } }) {
  const counter = { items: 0, byCommand: new Map<string, number>() };
  const middleware = ((next: (args: unknown) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) => async (args: unknown) => {
    const result = await next(args);
    const out = result.output;
    const responses = out.Responses as Record<string, unknown[]> | undefined;
    const read =
      typeof out.ScannedCount === 'number' ? out.ScannedCount
      : responses ? Object.values(responses).reduce((n, items) => n + items.length, 0)
      : out.Item ? 1
      : 0;
    counter.items += read;
    const name = context.commandName ?? '?';
    counter.byCommand.set(name, (counter.byCommand.get(name) ?? 0) + read);
    return result;
  }) as never;
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'countItemsRead' });
  return {
    get items() {
      return counter.items;
    },
    byCommand: () => Object.fromEntries(counter.byCommand),
    reset() {
      counter.items = 0;
      counter.byCommand.clear();
    },
  };
}

/** A fresh key for the sign-in codes, as the local stack makes one (shared/code-key.ts). */
export const testCodeKey = () => staticCodeKey(randomBytes(32));

/** Ports about time, chance and observation: real ones in shared/system.ts and observability.ts, fakes in tests. */
import type { MetricName } from '../metric-names.js';

export interface Clock {
  now(): Date;
}

export interface Random {
  bytes(n: number): Buffer;
}

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown> | Error): void;
  /** A logger for one invocation whose lines all carry `keys`; the shared one is left untouched. */
  withKeys(keys: Record<string, unknown>): Logger;
}

/** One metric per outcome; names come from the typed lists in metric-names.ts. */
export interface Metrics {
  count(name: MetricName, value?: number): void;
}

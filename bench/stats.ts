/** Small statistics helpers: nearest-rank percentiles, rounded for a readable JSON report. */
import type { RequestCount } from './context.js';

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export interface LatencySummary {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  return {
    runs: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    min: round(Math.min(...samples)),
    max: round(Math.max(...samples)),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

export const mb = (bytes: number) => round(bytes / (1024 * 1024), 1);

/** The request count of one operation, from the first measured run; disagreeing runs are reported. */
export function countOf(runs: string[][]): RequestCount {
  const first = runs[0] ?? [];
  const commands: Record<string, number> = {};
  for (const c of first) commands[c] = (commands[c] ?? 0) + 1;
  const totals = [...new Set(runs.map((r) => r.length))].sort((a, b) => a - b);
  return { total: first.length, commands, ...(totals.length > 1 ? { totalsSeen: totals } : {}) };
}

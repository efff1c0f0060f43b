/**
 * What one bench run measures and how much of it, from the command line and the environment,
 * checked before anything starts (a bad value names its key). bench/README.md lists them.
 *
 * `--quick` does every suite with less work, in a fraction of the full run's time. It shows that the bench still works and that the counts hold (requests per
 * operation, items the sweep reads); its times and rates are rough, and the report says it was quick.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../infra/bundling.js';

export const SUITES = ['functions', 'sweep', 'load'] as const;
export type Suite = (typeof SUITES)[number];

export interface LoadSettings {
  seconds: number;
  connections: number;
  cpuProfile: boolean;
}

export interface BenchSettings {
  suites: Suite[];
  quick: boolean;
  /** Where the JSON report goes; `-` is stdout. */
  out: string;
  sweepTickets: number;
  load: LoadSettings;
  /** Rounds of cold imports, each importing every bundle once with source maps and once without. */
  coldImportRounds: number;
  /** Measured iterations per operation (after a warm-up). */
  httpIterations: number;
  inboundIterations: number;
  /** Sizes of the big mails whose peak memory is measured. */
  peakMemorySizesMb: number[];
}

/** The committed report docs/performance.md is generated from (`npm run bench:report`). */
export const DEFAULT_OUT = 'bench/results.json';

export const USAGE = `Usage: npm run bench [-- [--quick] [--out FILE]]

  --quick      every suite with less work (minutes): checks the bench still runs; rough figures
  --out FILE   where the JSON report goes (default ${DEFAULT_OUT}; - for stdout)
  --help       this text

Environment (a run's defaults in brackets, --quick's after the slash):
  OTA_BENCH_ONLY=functions,sweep,load   a subset of the suites [all]
  OTA_BENCH_SWEEP_TICKETS               tickets generated for the sweep [100000 / 5000]
  OTA_BENCH_LOAD_SECONDS                seconds per load scenario [10 / 2]
  OTA_BENCH_LOAD_CONNECTIONS            concurrent connections under load [8]
  OTA_BENCH_CPU_PROFILE=1               profile the local stack under load
See bench/README.md for what each suite measures.`;

/** A whole number in [min, max] from the environment, or the fallback when unset. */
export function envInteger(key: string, fallback: number, min: number, max: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function selectedSuites(raw: string | undefined): Suite[] {
  if (!raw) return [...SUITES];
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(SUITES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`OTA_BENCH_ONLY: unknown suite ${unknown.join(', ')} (known: ${SUITES.join(', ')})`);
  return SUITES.filter((s) => names.includes(s));
}

/** The settings of this run, or 'help' when the usage was asked for. */
export function benchSettings(args: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchSettings | 'help' {
  const { values } = parseArgs({ args, options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: DEFAULT_OUT }, help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) return 'help';
  const quick = values.quick;
  return {
    suites: selectedSuites(env.OTA_BENCH_ONLY),
    quick,
    out: values.out === '-' ? '-' : path.resolve(REPO_ROOT, values.out),
    sweepTickets: envInteger('OTA_BENCH_SWEEP_TICKETS', quick ? 5_000 : 100_000, 1000, 1_000_000, env),
    load: {
      seconds: envInteger('OTA_BENCH_LOAD_SECONDS', quick ? 2 : 10, 1, 600, env),
      connections: envInteger('OTA_BENCH_LOAD_CONNECTIONS', 8, 1, 1000, env),
      cpuProfile: env.OTA_BENCH_CPU_PROFILE === '1',
    },
    coldImportRounds: quick ? 3 : 9,
    httpIterations: quick ? 20 : 200,
    inboundIterations: quick ? 10 : 50,
    peakMemorySizesMb: quick ? [10] : [10, 20, 40],
  };
}

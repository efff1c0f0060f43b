/**
 * Cold import: a fresh Node process imports the bundle (module init: config parsing, clients,
 * Powertools) with the function's environment. Timed inside the child around `import()`;
 * the spawn-to-exit time is reported beside it. Deployed functions run with
 * --enable-source-maps (infra), so that is the headline; the variant without shows its cost.
 */
import { pathToFileURL } from 'node:url';
import { runChild } from './child.js';
import { DUMMY_ENDPOINTS, functionEnv, type FunctionSpec } from './context.js';
import { median, round } from './stats.js';

const RUNS = 5;

const IMPORT_SCRIPT = `
const started = performance.now();
const mod = await import(process.env.BENCH_BUNDLE_URL);
const importMs = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
await report({ importMs, rssBytes: process.memoryUsage().rss });
`;

export interface ColdImportReport {
  median: number;
  runsMs: number[];
  /** Spawn to exit of the whole process (Node start-up included), median. */
  processMedianMs: number;
  rssAfterImportMb: number;
  nodeOptions: string;
  withoutSourceMaps: { median: number; runsMs: number[] };
}

async function measure(fn: FunctionSpec, bundleFile: string, sourceMaps: boolean) {
  const runs: { importMs: number; rssBytes: number; wallMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { result, wallMs } = await runChild<{ importMs: number; rssBytes: number }>({
      label: `cold import of ${fn.name}`,
      script: IMPORT_SCRIPT,
      env: { ...functionEnv(fn, DUMMY_ENDPOINTS, { sourceMaps }), BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href },
      timeoutMs: 30_000,
    });
    runs.push({ ...result, wallMs });
  }
  return runs;
}

export async function coldImport(fn: FunctionSpec, bundleFile: string): Promise<ColdImportReport> {
  const deployed = await measure(fn, bundleFile, true);
  const plain = await measure(fn, bundleFile, false);
  const ms = (runs: { importMs: number }[]) => runs.map((r) => round(r.importMs));
  return {
    median: round(median(deployed.map((r) => r.importMs))),
    runsMs: ms(deployed),
    processMedianMs: round(median(deployed.map((r) => r.wallMs))),
    rssAfterImportMb: round(median(deployed.map((r) => r.rssBytes)) / (1024 * 1024), 1),
    nodeOptions: '--enable-source-maps',
    withoutSourceMaps: { median: round(median(plain.map((r) => r.importMs))), runsMs: ms(plain) },
  };
}

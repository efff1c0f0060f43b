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

const IMPORT_SCRIPT = `
const started = performance.now();
const mod = await import(process.env.BENCH_BUNDLE_URL);
const importMs = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
await report({ importMs, rssBytes: process.memoryUsage().rss });
`;

export interface ColdImportReport {
  median: number;
  /** The fastest run: the import's own cost with the least of the machine's noise on top. */
  fastest: number;
  runsMs: number[];
  /** Spawn to exit of the whole process (Node start-up included), median. */
  processMedianMs: number;
  rssAfterImportMb: number;
  nodeOptions: string;
  withoutSourceMaps: { median: number; runsMs: number[] };
}

type Run = { importMs: number; rssBytes: number; wallMs: number };

async function importOnce(fn: FunctionSpec, bundleFile: string, sourceMaps: boolean): Promise<Run> {
  const { result, wallMs } = await runChild<{ importMs: number; rssBytes: number }>({
    label: `cold import of ${fn.name}`,
    script: IMPORT_SCRIPT,
    env: { ...functionEnv(fn, DUMMY_ENDPOINTS, { sourceMaps }), BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href },
    timeoutMs: 30_000,
  });
  return { ...result, wallMs };
}

/**
 * Cold imports of every bundle, interleaved: round by round (each bundle imported once with source
 * maps and once without), each bundle in turn, so a
 * machine that gets busier or quieter during the run moves the baseline and the functions alike
 * and their ratios stay comparable. Keyed by function name.
 */
export async function coldImports(bundles: { fn: FunctionSpec; file: string }[], rounds: number, log: (line: string) => void): Promise<Map<string, ColdImportReport>> {
  const runs = new Map(bundles.map(({ fn }) => [fn.name, { deployed: [] as Run[], plain: [] as Run[] }]));
  for (let pass = 1; pass <= rounds; pass++) {
    log(`cold imports: round ${pass} of ${rounds} over ${bundles.length} bundles`);
    for (const { fn, file } of bundles) {
      const own = runs.get(fn.name)!;
      own.deployed.push(await importOnce(fn, file, true));
      own.plain.push(await importOnce(fn, file, false));
    }
  }
  const ms = (list: Run[]) => list.map((r) => round(r.importMs));
  return new Map(
    [...runs].map(([name, { deployed, plain }]) => [
      name,
      {
        median: round(median(deployed.map((r) => r.importMs))),
        fastest: Math.min(...ms(deployed)),
        runsMs: ms(deployed),
        processMedianMs: round(median(deployed.map((r) => r.wallMs))),
        rssAfterImportMb: round(median(deployed.map((r) => r.rssBytes)) / (1024 * 1024), 1),
        nodeOptions: '--enable-source-maps',
        withoutSourceMaps: { median: round(median(plain.map((r) => r.importMs))), runsMs: ms(plain) },
      },
    ]),
  );
}

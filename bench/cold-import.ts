/**
 * Cold import: a fresh Node process imports the bundle (module init: config parsing, clients,
 * Powertools) with the function's environment. Timed inside the child around `import()`;
 * the spawn-to-exit time is reported beside it. Each bundle is imported with --enable-source-maps
 * and without: the headline is the variant deployed by default (ota:sourceMaps, infra/context.ts),
 * the other beside it, so the choice's price stays in sight.
 */
import { pathToFileURL } from 'node:url';
import { runChild } from './child.js';
import { DUMMY_ENDPOINTS, functionEnv, type FunctionSpec } from './context.js';
import { median, round } from './stats.js';
import { CONTEXT_DEFAULTS, CONTEXT_KEYS } from '../infra/context.js';

/** What infra deploys unless ota:sourceMaps says otherwise. */
export const DEPLOYED_SOURCE_MAPS = CONTEXT_DEFAULTS[CONTEXT_KEYS.sourceMaps];

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
  /** NODE_OPTIONS as deployed by default: the headline's. */
  nodeOptions: string;
  withoutSourceMaps: { median: number; runsMs: number[] };
  withSourceMaps: { median: number; runsMs: number[] };
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
    [...runs].map(([name, { deployed: withMaps, plain }]) => {
      const headline = DEPLOYED_SOURCE_MAPS ? withMaps : plain;
      return [
        name,
        {
          median: round(median(headline.map((r) => r.importMs))),
          fastest: Math.min(...ms(headline)),
          runsMs: ms(headline),
          processMedianMs: round(median(headline.map((r) => r.wallMs))),
          rssAfterImportMb: round(median(headline.map((r) => r.rssBytes)) / (1024 * 1024), 1),
          nodeOptions: DEPLOYED_SOURCE_MAPS ? '--enable-source-maps' : '',
          withoutSourceMaps: { median: round(median(plain.map((r) => r.importMs))), runsMs: ms(plain) },
          withSourceMaps: { median: round(median(withMaps.map((r) => r.importMs))), runsMs: ms(withMaps) },
        },
      ];
    }),
  );
}

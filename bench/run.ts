/**
 * `npm run bench`: the performance targets (bench/README.md), as ONE JSON document written to
 * bench/results.json (--out; progress on stderr). A bare DynamoDB handler as the baseline (bench/baseline.ts); per function:
 * bundle size and cold import, each also as a ratio to the baseline's measured in the same run;
 * for the inbound and HTTP paths: DynamoDB round trips and latency per operation against the local
 * peers; for the inbound path, peak memory for 10 to 40 MB mails; the sweep at 100 000 tickets
 * beside the add-on's approach (bench/sweep.ts); HTTP load on the local stack run as a child
 * process (bench/load.ts). Not part of `npm test`. Settings: bench/settings.ts, `npm run bench -- --help`.
 * Exit code 0 on success, 1 with a message otherwise.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPeers, type Peers } from '../harness/peers.js';
import { BASELINE, checkBaseline, ratiosTo } from './baseline.js';
import { bundleFunction, type BundleReport } from './bundle.js';
import { killChildren } from './child.js';
import { coldImports } from './cold-import.js';
import type { SuiteContext } from './context.js';
import { FUNCTIONS } from './functions.js';
import { killStacks, loadSuite } from './load.js';
import { gitState, metadata } from './meta.js';
import { benchSettings, USAGE, type BenchSettings } from './settings.js';
import { sweepSuite } from './sweep.js';
import { bytesAbove, targetsOf } from './targets.js';

// stdout carries the one JSON document and nothing else: whatever else writes there during the run
// (a library's console output, an EMF line) goes to stderr with the progress.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((...args: Parameters<typeof process.stdout.write>) => process.stderr.write(...(args as Parameters<typeof process.stderr.write>))) as typeof process.stdout.write;
// As locally (npm start): functions built in this process publish no metrics.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const started = performance.now();
const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

let cleanup: (() => Promise<void>) | undefined;
/** Set by a signal: the work that fails because its peers went away is not reported as a failure. */
let interrupted = false;

async function main(settings: BenchSettings): Promise<Record<string, unknown>> {
  const suites = new Set(settings.suites);
  const measured = gitState(settings.out);
  const tmp = mkdtempSync(path.join(tmpdir(), 'ota-bench-'));
  let peersStarting: Promise<Peers> | undefined;
  const stopPeers = async () => {
    const peers = await peersStarting?.catch(() => undefined);
    peersStarting = undefined;
    await peers?.stop().catch((e: unknown) => log(`could not stop the local peers: ${String(e)}`));
  };
  cleanup = async () => {
    cleanup = undefined;
    killChildren();
    await killStacks();
    // Peers still starting when interrupted are stopped too, so their temp directory goes.
    await stopPeers();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const report: Record<string, unknown> = {};
    const functions: Record<string, Record<string, unknown>> = {};
    if (suites.has('functions')) {
      const bundles = new Map<string, string>();
      const packagesOf = new Map<string, Map<string, number>>();
      const bundled = new Map<string, BundleReport>();
      for (const fn of [BASELINE, ...FUNCTIONS]) {
        log(`${fn.name}: bundling ${fn.entry}`);
        const { file, report: bundle, packages } = await bundleFunction(fn, tmp);
        bundles.set(fn.name, file);
        packagesOf.set(fn.name, packages);
        bundled.set(fn.name, bundle);
        log(`${fn.name}: ${bundle.bundleBytes} bytes (${bundle.bundleGzipBytes} gzipped)`);
      }
      // The yardstick is measured exactly as the functions are, in the same rounds.
      const cold = await coldImports([BASELINE, ...FUNCTIONS].map((fn) => ({ fn, file: bundles.get(fn.name)! })), settings.coldImportRounds, log);
      const measured = (name: string) => ({ ...bundled.get(name)!, coldImportMs: cold.get(name)! });
      const baseline = measured(BASELINE.name);
      for (const fn of FUNCTIONS) {
        const own = measured(fn.name);
        const ratios = ratiosTo(baseline, own);
        const target = fn.bundleRatioTarget;
        const coldTarget = fn.coldImportRatioTarget;
        functions[fn.name] = {
          ...own,
          ...ratios,
          bytesAboveBaseline: bytesAbove(packagesOf.get(BASELINE.name), packagesOf.get(fn.name)),
          ...(target === undefined ? {} : { bundleTarget: { maxBundleRatio: target, bundleRatio: ratios.bundleRatio.bytes, withinTarget: ratios.bundleRatio.bytes <= target } }),
          ...(coldTarget === undefined ? {} : { coldImportTarget: { maxRatio: coldTarget, ratio: ratios.coldImportRatio, withinTarget: ratios.coldImportRatio <= coldTarget } }),
        };
      }

      log('starting local peers (dynalite, aws-ses-v2-local, s3rver)');
      peersStarting = startPeers();
      const peers = await peersStarting;
      log('baseline: invoking its bundle against dynalite');
      const baselineInvocation = await checkBaseline(bundles.get(BASELINE.name) ?? '', peers);
      for (const fn of FUNCTIONS) {
        const ctx: SuiteContext = { fn, bundleFile: bundles.get(fn.name) ?? '', peers, settings, log };
        const entry = functions[fn.name] ?? {};
        if (fn.operations) {
          const { scope, operations, getFloorMs } = await fn.operations(ctx);
          Object.assign(entry, { operationsScope: scope, operations, ...(getFloorMs ? { getFloorMs } : {}) });
        }
        if (fn.peakMemory) entry.peakMemoryMb = await fn.peakMemory(ctx);
        if (fn.ticketPageScale) entry.ticketPageScale = await fn.ticketPageScale(ctx);
      }
      report.baseline = { ...baseline, invocation: baselineInvocation };
      report.functions = functions;
    }

    if (suites.has('sweep')) {
      peersStarting ??= startPeers();
      report.sweep = await sweepSuite(await peersStarting, log, settings.sweepTickets);
    }
    // The load run gets the machine to itself: the in-process peers (and the sweep's 100 000 tickets) go first.
    await stopPeers();
    if (suites.has('load')) report.load = await loadSuite(tmp, log, settings.load);

    return {
      meta: { ...metadata(measured), durationMs: Math.round(performance.now() - started), suites: [...suites], quick: settings.quick, settings: { ...settings, suites: undefined, out: undefined } },
      targets: targetsOf(report),
      ...report,
    };
  } finally {
    await cleanup?.();
  }
}

function fail(message: string, code = 1): never {
  process.stderr.write(`bench failed: ${message}\n`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping peers and removing temp files`);
    void (cleanup?.() ?? Promise.resolve()).finally(() => fail(`interrupted by ${signal}`, 130));
  });
}

let settings: BenchSettings | 'help';
try {
  // Settings first: a bad one fails before anything starts.
  settings = benchSettings();
} catch (e) {
  fail(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`, 2);
}
if (settings === 'help') {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}
const out = settings.out;

main(settings).then(
  (report) => {
    if (interrupted) return;
    const json = `${JSON.stringify(report, null, 2)}\n`;
    // Exit only once the JSON is written; lingering sockets must not keep the process alive.
    if (out === '-') return void writeStdout(json, () => process.exit(0));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, json);
    log(`done: ${path.relative(process.cwd(), out)} (docs/performance.md from it: npm run bench:report)`);
    process.exit(0);
  },
  (e: unknown) => {
    if (!interrupted) fail(e instanceof Error ? (e.stack ?? e.message) : String(e));
  },
);

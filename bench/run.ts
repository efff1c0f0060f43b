/**
 * `npm run bench`: the performance bars of DESIGN §6, as ONE JSON document on stdout
 * (progress on stderr). A bare DynamoDB handler as the baseline (bench/baseline.ts); per function:
 * bundle size and cold import, each also as a ratio to the baseline's measured in the same run;
 * for the inbound and HTTP paths: DynamoDB round trips and latency per operation against the local
 * peers; for the inbound path, peak memory for 10 to 40 MB mails. Not part of `npm test`.
 * Exit code 0 on success, 1 with a message otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPeers, type Peers } from '../test/support/peers.js';
import { BASELINE, checkBaseline, ratiosTo } from './baseline.js';
import { bundleFunction } from './bundle.js';
import { killChildren } from './child.js';
import { coldImport } from './cold-import.js';
import type { SuiteContext } from './context.js';
import { FUNCTIONS } from './functions.js';
import { metadata } from './meta.js';

const started = performance.now();
const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

let cleanup: (() => Promise<void>) | undefined;
/** Set by a signal: the work that fails because its peers went away is not reported as a failure. */
let interrupted = false;

async function main(): Promise<Record<string, unknown>> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ota-bench-'));
  let peersStarting: Promise<Peers> | undefined;
  cleanup = async () => {
    cleanup = undefined;
    killChildren();
    // Peers still starting when interrupted are stopped too, so their temp directory goes.
    const peers = await peersStarting?.catch(() => undefined);
    await peers?.stop().catch((e: unknown) => log(`could not stop the local peers: ${String(e)}`));
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const functions: Record<string, Record<string, unknown>> = {};
    const bundles = new Map<string, string>();
    const measure = async (fn: typeof BASELINE) => {
      log(`${fn.name}: bundling ${fn.entry}`);
      const { file, report } = await bundleFunction(fn, tmp);
      bundles.set(fn.name, file);
      log(`${fn.name}: ${report.bundleBytes} bytes (${report.bundleGzipBytes} gzipped); cold imports`);
      return { ...report, coldImportMs: await coldImport(fn, file) };
    };
    // The yardstick first, measured exactly as the functions are.
    const baseline = await measure(BASELINE);
    for (const fn of FUNCTIONS) {
      const measured = await measure(fn);
      const ratios = ratiosTo(baseline, measured);
      const target = fn.bundleRatioTarget;
      functions[fn.name] = {
        ...measured,
        ...ratios,
        ...(target === undefined ? {} : { bundleTarget: { maxBundleRatio: target, bundleRatio: ratios.bundleRatio.bytes, withinTarget: ratios.bundleRatio.bytes <= target } }),
      };
    }

    log('starting local peers (dynalite, aws-ses-v2-local, s3rver)');
    peersStarting = startPeers();
    const peers = await peersStarting;
    log('baseline: invoking its bundle against dynalite');
    const baselineInvocation = await checkBaseline(bundles.get(BASELINE.name) ?? '', peers);
    for (const fn of FUNCTIONS) {
      const ctx: SuiteContext = { fn, bundleFile: bundles.get(fn.name) ?? '', peers, log };
      const report = functions[fn.name] ?? {};
      if (fn.operations) {
        const { scope, operations, getFloorMs } = await fn.operations(ctx);
        Object.assign(report, { operationsScope: scope, operations, ...(getFloorMs ? { getFloorMs } : {}) });
      }
      if (fn.peakMemory) report.peakMemoryMb = await fn.peakMemory(ctx);
    }

    return {
      meta: { ...metadata(), durationMs: Math.round(performance.now() - started) },
      baseline: { ...baseline, invocation: baselineInvocation },
      functions,
      // §6: sweep reads per due ticket at 100k tickets. Measured here once the sweep exists.
      sweep: { status: 'not implemented yet' },
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

main().then(
  (report) => {
    if (interrupted) return;
    log('done');
    // Exit only once the JSON is flushed; lingering sockets must not keep the process alive.
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`, () => process.exit(0));
  },
  (e: unknown) => {
    if (!interrupted) fail(e instanceof Error ? (e.stack ?? e.message) : String(e));
  },
);

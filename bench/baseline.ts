/**
 * The baseline of the bundle and cold-start targets: bench/baseline-handler.ts (a document client
 * and one GetCommand), bundled and cold-imported in the same run exactly as the functions are. Each
 * function's bundle size and cold import are reported as ratios to it; the bundle is also invoked
 * once against dynalite, so the yardstick is known to be a working handler and not an empty module.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { pathToFileURL } from 'node:url';
import type { Peers } from '../harness/peers.js';
import type { BundleReport } from './bundle.js';
import { runChild } from './child.js';
import { DEPLOYED_SOURCE_MAPS, type ColdImportReport } from './cold-import.js';
import { functionEnv, peerEndpoints, type FunctionSpec } from './context.js';
import { round, summarize } from './stats.js';

export const BASELINE: FunctionSpec = { name: 'baseline-dynamodb-get', entry: 'bench/baseline-handler.ts' };

type Measured = BundleReport & { coldImportMs: ColdImportReport };

export interface Ratios {
  /** Bundle bytes / the baseline's, minified and gzipped. */
  bundleRatio: { bytes: number; gzip: number };
  /** Median cold import, as deployed (ota:sourceMaps' default) / the baseline's. */
  coldImportRatio: number;
  /** The same without source maps, and with them: what the source-map support costs each. */
  coldImportRatioWithoutSourceMaps: number;
  coldImportRatioWithSourceMaps: number;
  /** Fastest cold import / the baseline's fastest (as deployed): on a shared machine noise only adds, so this moves least between runs. */
  coldImportRatioFastest: number;
}

export function ratiosTo(baseline: Measured, fn: Measured): Ratios {
  return {
    bundleRatio: { bytes: round(fn.bundleBytes / baseline.bundleBytes), gzip: round(fn.bundleGzipBytes / baseline.bundleGzipBytes) },
    coldImportRatio: round(fn.coldImportMs.median / baseline.coldImportMs.median),
    coldImportRatioWithoutSourceMaps: round(fn.coldImportMs.withoutSourceMaps.median / baseline.coldImportMs.withoutSourceMaps.median),
    coldImportRatioWithSourceMaps: round(fn.coldImportMs.withSourceMaps.median / baseline.coldImportMs.withSourceMaps.median),
    coldImportRatioFastest: round(fn.coldImportMs.fastest / baseline.coldImportMs.fastest),
  };
}

const INVOKE_RUNS = 50;
const INVOKE_SCRIPT = `
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const key = JSON.parse(process.env.BENCH_KEY);
const first = await handler(key);
const ms = [];
for (let i = 0; i < ${INVOKE_RUNS}; i++) {
  const started = performance.now();
  await handler(key);
  ms.push(performance.now() - started);
}
await report({ first, ms });
`;

/** Invokes the baseline bundle in a fresh process against dynalite: it must return the item it was asked for. */
export async function checkBaseline(bundleFile: string, peers: Peers) {
  const key = { pk: 'BENCH#baseline', sk: 'ITEM' };
  await peers.docClient().send(new PutCommand({ TableName: peers.table, Item: { ...key, marker: 'baseline' } }));
  const { result } = await runChild<{ first?: { marker?: string }; ms: number[] }>({
    label: 'baseline invocation',
    script: INVOKE_SCRIPT,
    env: {
      ...functionEnv(BASELINE, peerEndpoints(peers), { sourceMaps: DEPLOYED_SOURCE_MAPS }),
      // The SDK's own endpoint and credential settings: the handler has none of its own.
      AWS_ENDPOINT_URL_DYNAMODB: peers.dynamo.url,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href,
      BENCH_KEY: JSON.stringify(key),
    },
    timeoutMs: 30_000,
  });
  if (result.first?.marker !== 'baseline') throw new Error(`the baseline handler did not return its item: ${JSON.stringify(result.first)}`);
  return { itemReturned: true, warmInvokeMs: summarize(result.ms) };
}

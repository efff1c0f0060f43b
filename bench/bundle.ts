/**
 * Bundles a function with infra/bundling.ts, the code CDK's local bundling runs, and reports its
 * size by package: what a cold start loads, and the lazy chunks beside it.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FunctionSpec } from './context.js';
import { bundleFunction as bundleAsDeployed, REPO_ROOT } from '../infra/bundling.js';

export interface BundleReport {
  entry: string;
  /** What a cold start reads and compiles: the entry and the chunks it imports statically. */
  bundleBytes: number;
  bundleGzipBytes: number;
  /** Their source maps, which --enable-source-maps parses at load. */
  sourceMapBytes: number;
  /** Chunks only a dynamic import() reaches (SDK credential providers Lambda never asks, lazy paths of ours). */
  lazyChunks: { files: number; bytes: number };
  /** Everything in the deployment package's code: bundleBytes plus the lazy chunks. */
  deployedBytes: number;
  /** Largest contributors to what a cold start loads, by package. */
  topPackagesBytes: Record<string, number>;
  /**
   * Modules only a sign-in with a code needs (its use case, the code key's Secrets Manager client,
   * Powertools' parameters) that a cold start loads anyway: none, so the landing page never waits for them.
   */
  codeOnlyModulesInColdStart: string[];
}

const CODE_ONLY = /shared\/use-cases\/sign-in-with-code\.ts$|@aws-sdk\/client-secrets-manager\/|@aws-lambda-powertools\/parameters\/|shared\/adapters\/secrets\//;

/** `packages`: every package's bytes in what a cold start loads (for the comparison with the baseline). */
export async function bundleFunction(fn: FunctionSpec, outDir: string): Promise<{ file: string; report: BundleReport; packages: Map<string, number> }> {
  const { file, metafile, loads: { coldStart, lazy } } = await bundleAsDeployed(fn.entry, path.join(outDir, fn.name));
  const lazyBytes = lazy.reduce((sum, out) => sum + metafile.outputs[out]!.bytes, 0);
  const code = Buffer.concat(coldStart.map((out) => readFileSync(path.resolve(REPO_ROOT, out))));
  const packages = packageBytes(coldStart.flatMap((out) => Object.entries(metafile.outputs[out]!.inputs)));
  return {
    file,
    packages,
    report: {
      entry: fn.entry,
      bundleBytes: code.byteLength,
      bundleGzipBytes: gzipSync(code).byteLength,
      sourceMapBytes: coldStart.reduce((sum, out) => sum + statSync(`${path.resolve(REPO_ROOT, out)}.map`).size, 0),
      lazyChunks: { files: lazy.length, bytes: lazyBytes },
      deployedBytes: code.byteLength + lazyBytes,
      topPackagesBytes: Object.fromEntries([...packages].slice(0, 8)),
      codeOnlyModulesInColdStart: coldStart.flatMap((out) => Object.keys(metafile.outputs[out]!.inputs)).filter((input) => CODE_ONLY.test(input)),
    },
  };
}

/** node_modules/@scope/name/… → @scope/name; our own files → (project). */
function packageOf(input: string): string {
  const parts = input.split('node_modules/');
  if (parts.length < 2) return '(project)';
  const rest = (parts.at(-1) ?? '').split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
}

/** Bytes per package, largest first. */
function packageBytes(inputs: [string, { bytesInOutput: number }][]): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of inputs) {
    const pkg = packageOf(input);
    bytes.set(pkg, (bytes.get(pkg) ?? 0) + bytesInOutput);
  }
  return new Map([...bytes].sort((a, b) => b[1] - a[1]));
}

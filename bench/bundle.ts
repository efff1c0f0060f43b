/**
 * Bundles a function with infra/bundling.ts, the code CDK's local bundling runs, and reports its
 * size by package.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FunctionSpec } from './context.js';
import { bundleFunction as bundleAsDeployed } from '../infra/bundling.js';

export interface BundleReport {
  entry: string;
  bundleBytes: number;
  bundleGzipBytes: number;
  sourceMapBytes: number;
  /** Largest contributors to the minified output, by package. */
  topPackagesBytes: Record<string, number>;
}

/** `packages`: every package's bytes in the minified output (for the comparison with the baseline). */
export async function bundleFunction(fn: FunctionSpec, outDir: string): Promise<{ file: string; report: BundleReport; packages: Map<string, number> }> {
  const { file, metafile } = await bundleAsDeployed(fn.entry, path.join(outDir, fn.name));
  const code = readFileSync(file);
  const output = Object.entries(metafile.outputs).find(([out]) => out.endsWith('.mjs'))?.[1];
  const packages = packageBytes(output?.inputs ?? {});
  return {
    file,
    packages,
    report: {
      entry: fn.entry,
      bundleBytes: code.byteLength,
      bundleGzipBytes: gzipSync(code).byteLength,
      sourceMapBytes: statSync(`${file}.map`).size,
      topPackagesBytes: Object.fromEntries([...packages].slice(0, 8)),
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
function packageBytes(inputs: Record<string, { bytesInOutput: number }>): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = packageOf(input);
    bytes.set(pkg, (bytes.get(pkg) ?? 0) + bytesInOutput);
  }
  return new Map([...bytes].sort((a, b) => b[1] - a[1]));
}

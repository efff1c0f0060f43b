/**
 * Bundles a function the way infra/ota-function.ts has NodejsFunction do it (keep the two in
 * step): ESM, node24, minified, names kept, linked source map without sources, the CJS
 * `require` banner, module-first main fields, and the AWS SDK bundled (no externals).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { REPO_ROOT, type FunctionSpec } from './context.js';
import { BUNDLE } from '../infra/bundling.js';

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
  // NodejsFunction names an ESM bundle index.mjs.
  const file = path.join(outDir, fn.name, 'index.mjs');
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [path.join(REPO_ROOT, fn.entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE.target,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    minify: BUNDLE.minify,
    keepNames: BUNDLE.keepNames,
    sourcemap: true,
    sourcesContent: BUNDLE.sourcesContent,
    external: [],
    metafile: true,
    logLevel: 'warning',
  });
  const code = readFileSync(file);
  const output = Object.entries(result.metafile.outputs).find(([out]) => out.endsWith('.mjs'))?.[1];
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

/**
 * `node --import tsx infra/bundle-function.ts <entry> <outDir>`: bundles one function for CDK's
 * local bundling (infra/ota-function.ts). A separate process because esbuild plugins need its
 * asynchronous API, and CDK's `tryBundle` is synchronous.
 */
import { bundleFunction } from './bundling.js';

const [entry, outDir] = process.argv.slice(2);
if (!entry || !outDir) {
  console.error('usage: node --import tsx infra/bundle-function.ts <entry relative to the repository root> <output directory>');
  process.exit(2);
}
await bundleFunction(entry, outDir);

/**
 * How a function is bundled, in one place: CDK's local bundling (infra/ota-function.ts, through
 * infra/bundle-function.ts) and `npm run bench` call the same `bundleFunction`, so the bench
 * measures exactly what is deployed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

/** Repository root: entries, package-lock.json and tsconfig.json are resolved from here. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A Lambda ESM bundle is `index.mjs` (handler `index.handler`), with its source map beside it. */
export const BUNDLE_FILE = 'index.mjs';

export const BUNDLE = {
  target: 'node24',
  // Prefer packages' ESM builds so esbuild can tree-shake them.
  mainFields: ['module', 'main'],
  // CJS dependencies inside an ESM bundle still call require(); give them one.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  minify: true,
  // Error and class names stay readable in logs and traces despite minification.
  keepNames: true,
  sourcesContent: false,
} as const;

/** The AWS SDK's generated schema modules (one per client, and per nested client). */
const SDK_SCHEMA_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.*[\\/])?schemas[\\/]schemas_\d+\.js$/;

/**
 * Lets esbuild drop the schemas of the operations a client is never asked for.
 *
 * The SDK writes schema traits with computed keys (`{ [_e]: _c }`, where `const _e = "error"`).
 * esbuild must assume a computed key may run code, so it keeps every such statement and all the
 * schemas it reaches: `@aws-sdk/client-sesv2` put 50 kB of schemas for about a hundred operations
 * into a bundle that sends one. Known upstream (aws/aws-sdk-js-v3#7607); the proposed generator
 * fix (smithy-lang/smithy-typescript#1889) writes literal keys, which is what this does at build
 * time. Only a `[_name]:` right after `{` or `,` whose name is a top-level `const _name = "…"` of
 * the same module is rewritten, to that string: the object is the same, so the code is too.
 * Once the SDK ships literal keys, nothing matches and this does nothing.
 */
export function literalSchemaKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) strings.set(name!, literal!);
  return source.replace(/([{,]\s*)\[(_\w+)\]:/g, (key, before: string, name: string) => {
    const literal = strings.get(name);
    return literal === undefined ? key : `${before}${literal}:`;
  });
}

export const sdkSchemaLiteralKeys: Plugin = {
  name: 'aws-sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMA_MODULE }, async ({ path: file }) => ({ contents: literalSchemaKeys(await readFile(file, 'utf8')), loader: 'js' }));
  },
};

/**
 * Bundles one function entry (relative to the repository root) into `outDir/index.mjs` with a
 * linked source map: ESM for node24, minified with names kept, the AWS SDK bundled (tested
 * versions ship; tree-shaking beats loading the runtime's copy).
 */
export async function bundleFunction(entry: string, outDir: string): Promise<{ file: string; metafile: Metafile }> {
  const file = path.join(outDir, BUNDLE_FILE);
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [path.resolve(REPO_ROOT, entry)],
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
    plugins: [sdkSchemaLiteralKeys],
    metafile: true,
    logLevel: 'warning',
  });
  return { file, metafile: result.metafile };
}

/**
 * How a function is bundled, in one place: CDK's local bundling (infra/ota-function.ts, through
 * infra/bundle-function.ts) and `npm run bench` call the same `bundleFunction`, so the bench
 * measures exactly what is deployed.
 */
import { readFile, rm } from 'node:fs/promises';
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

/** Where the entry's chunks go, beside it: code the entry (or the SDK) imports dynamically. */
const CHUNK_DIR = 'chunks';

/**
 * Bundles one function entry (relative to the repository root) into `outDir/index.mjs` with linked
 * source maps: ESM for node24, minified with names kept, the AWS SDK bundled (tested versions ship;
 * tree-shaking beats loading the runtime's copy).
 *
 * Split: what is only reached through a dynamic `import()` goes to its own file under `chunks/`
 * and is read, compiled and source-mapped only when first imported. Most of it is the SDK's own:
 * the default credential chain imports its SSO, INI-file, web-identity, process and login providers
 * (and the STS, SSO and sign-in clients they use) dynamically, after the environment provider,
 * which is the one that answers in Lambda. In one file they cost every cold start 50–60 ms
 * (bench, `coldImportMs`); split, a cold start loads only the entry and the chunks it statically imports.
 */
export async function bundleFunction(entry: string, outDir: string): Promise<{ file: string; metafile: Metafile; loads: OutputsByLoad }> {
  const file = path.join(outDir, BUNDLE_FILE);
  // A rebuild into the same directory must not leave the previous build's chunks behind.
  await Promise.all([file, `${file}.map`, path.join(outDir, CHUNK_DIR)].map((stale) => rm(stale, { recursive: true, force: true })));
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { [path.basename(BUNDLE_FILE, '.mjs')]: path.resolve(REPO_ROOT, entry) },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
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
  return { file, metafile: result.metafile, loads: outputsByLoad(result.metafile, path.relative(REPO_ROOT, file)) };
}

/**
 * The output files of a split bundle, by when they load: `coldStart` is the entry and every chunk
 * it imports statically (what a cold start reads and compiles); `lazy` the rest, loaded on first
 * use or never. Paths as the metafile has them (relative to the repository root).
 */
export interface OutputsByLoad {
  coldStart: string[];
  lazy: string[];
}

function outputsByLoad(metafile: Metafile, entryOutput: string): OutputsByLoad {
  const coldStart = new Set<string>();
  const visit = (out: string) => {
    if (coldStart.has(out)) return;
    coldStart.add(out);
    for (const imported of metafile.outputs[out]!.imports) if (imported.kind === 'import-statement' && metafile.outputs[imported.path]) visit(imported.path);
  };
  visit(entryOutput);
  const code = Object.keys(metafile.outputs).filter((out) => out.endsWith('.mjs'));
  return { coldStart: [...coldStart], lazy: code.filter((out) => !coldStart.has(out)) };
}

/**
 * esbuild settings of every function bundle, shared by the CDK construct and `npm run bench`
 * so the bench measures exactly what is deployed.
 */
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

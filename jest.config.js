/**
 * Jest on Node 24 with native ESM: swc strips types, `.js` specifiers map back to `.ts`.
 *
 * One project per tier (docs/testing.md); `npm test` runs them all. `npm run test:unit` and its
 * siblings set OTA_TEST_TIER to keep one project, so a path filter narrows within the tier
 * (`npm run test:unit -- redeem` leaves test/integration/redeem-link.test.ts out, which
 * `jest test/unit redeem` would not: path patterns add up) and each result line names its tier.
 * Not `--selectProjects`: it takes every word after it as one more project name.
 */
import process from 'node:process';

const TIERS = ['unit', 'integration', 'e2e', 'infra'];

const only = process.env.OTA_TEST_TIER;
if (only && !TIERS.includes(only)) throw new Error(`OTA_TEST_TIER: no tier "${only}" (known: ${TIERS.join(', ')})`);

const project = (name) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
});

export default {
  projects: TIERS.filter((name) => !only || name === only).map(project),
  // Jest reads the timeout from here only, not per project.
  testTimeout: 30000,
  maxWorkers: 2,
  // Workers that synthesised CDK apps need a moment longer to exit (esbuild's service).
  workerGracefulExitTimeout: 5000,
};

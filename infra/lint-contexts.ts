/**
 * The contexts whose templates must pass cfn-lint (infra/lint-templates.sh, run by `.ci/run` and
 * `npm run lint:cfn`): the shipped defaults as a test stack, a production deployment with its own
 * domain in eu-west-1, and every option infra/README.md documents. Each is synthesised as
 * `cdk synth` would (cdk.json's context under the overrides) into `<outdir>/<name>/`, all in one
 * process. Only the first context bundles the functions: the linter reads templates, and the
 * others' differ from a bundled synth only in the assets' hashes (CDK stages a placeholder).
 *
 * Run: node --import tsx infra/lint-contexts.ts <outdir>
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { REPO_ROOT } from './bundling.js';
import { ContextError } from './context.js';
import { buildOtaApp } from './ota-app.js';

export interface LintContext {
  readonly name: string;
  /** Where the stacks deploy; region-agnostic when absent (the templates then carry region rules). */
  readonly env?: Environment;
  readonly context: Record<string, unknown>;
}

const ACCOUNT = '123456789012';
const PRODUCTION = {
  'ota:production': 'true',
  'ota:config': { SupportAddress: 'help@support.acme-helpdesk.eu', PortalUrl: 'https://help.acme-helpdesk.eu' },
  'ota:recipients': 'help@support.acme-helpdesk.eu',
  'ota:alarmEmail': 'oncall@acme-helpdesk.eu',
};
const CUSTOM_DOMAIN = {
  'ota:domainName': 'help.acme-helpdesk.eu',
  'ota:certificateArn': `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
};
/** The active rule set two environments share in one region. */
const SHARED_RULE_SET = 'inbound-shared';

export const LINT_CONTEXTS: readonly LintContext[] = [
  { name: 'test-defaults', context: { 'ota:production': 'false' } },
  { name: 'production-eu-west-1', env: { account: ACCOUNT, region: 'eu-west-1' }, context: { ...PRODUCTION, ...CUSTOM_DOMAIN } },
  { name: 'existing-rule-set', context: { ...PRODUCTION, ...CUSTOM_DOMAIN, 'ota:receiptRuleSet': SHARED_RULE_SET } },
  {
    name: 'second-prefix',
    context: {
      ...PRODUCTION,
      'ota:stackPrefix': 'OtaStaging',
      'ota:receiptRuleSet': SHARED_RULE_SET,
      'ota:config': { SupportAddress: 'help@staging.acme-helpdesk.eu', PortalUrl: 'https://staging.acme-helpdesk.eu' },
      'ota:recipients': 'help@staging.acme-helpdesk.eu',
      'ota:alarmEmail': 'none',
    },
  },
  {
    name: 'object-lock-untraced',
    context: {
      'ota:production': 'false',
      'ota:rawMailProtection': 'object-lock',
      'ota:tracing': 'false',
      'ota:contributorInsights': 'true',
      'ota:requireTls': 'false',
      'ota:helpdeskPrincipals': 'arn:aws:iam::210987654321:role/helpdesk-files',
      'ota:sourceMaps': 'true',
    },
  },
  {
    name: 'unprotected-raw-mail',
    context: { 'ota:production': 'false', 'ota:rawMailProtection': 'none', 'ota:logRetentionDays': '30', 'ota:apiRateLimit': '5', 'ota:apiBurstLimit': '10' },
  },
];

/** cdk.json's context, as the CLI passes it to the app. */
function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

export function synthLintContext(lint: LintContext, outdir: string, options: { bundle: boolean }): void {
  mkdirSync(outdir, { recursive: true });
  const skipBundling = options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  // analyticsReporting: the CDKMetadata resource `cdk synth` adds, so the linter sees it too.
  const app = new App({ outdir, analyticsReporting: true, context: { ...cdkJsonContext(), ...lint.context, ...skipBundling } });
  buildOtaApp(app, { env: lint.env ?? {} });
  app.synth();
}

function main(outdir: string): void {
  for (const [n, lint] of LINT_CONTEXTS.entries()) {
    const started = Date.now();
    try {
      synthLintContext(lint, path.join(outdir, lint.name), { bundle: n === 0 });
    } catch (e) {
      if (!(e instanceof ContextError)) throw e;
      console.error(`${lint.name}: ${e.message}`);
      process.exit(1);
    }
    console.log(`synthesised ${lint.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] === import.meta.filename) {
  const outdir = process.argv[2];
  if (!outdir) throw new Error('usage: node --import tsx infra/lint-contexts.ts <outdir>');
  main(path.resolve(outdir));
}

/**
 * Builds the whole app into a given App: reads context, creates both stacks, plugs in cdk-nag.
 * Shared by infra/app.ts (the `cdk` entry) and test/infra, so tests synthesise what ops deploy.
 */
import { Tags, Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readContext } from './context.js';
import { otaNames } from './names.js';
import { addRegionRules, checkDeployable, targetEnvironment } from './preflight.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export interface OtaApp {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** `env`: where the stacks deploy; by default what the CLI or CDK_DEPLOY_* name (infra/preflight.ts), region-agnostic otherwise. */
export function buildOtaApp(app: App, options: { env?: Environment } = {}): OtaApp {
  const context = readContext(app.node);
  const env = options.env ?? targetEnvironment();
  checkDeployable(context, env.region);
  const names = otaNames(context.stackPrefix, context.receiptRuleSet);

  const stateful = new StatefulStack(app, names.statefulStack, {
    env,
    description: 'One-time authentication links: table and raw-mail bucket (retained)',
    names,
    rawMailPrefix: context.config.RawMailPrefix,
    rawMailRetentionDays: context.rawMailRetentionDays,
    rawMailProtection: context.rawMailProtection,
    contributorInsights: context.contributorInsights,
    helpdeskPrincipals: context.helpdeskPrincipals,
  });
  const stateless = new StatelessStack(app, names.statelessStack, {
    env,
    description: 'One-time authentication links: functions, HTTP API, SES receipt rule, bus, schedules, alarms',
    names,
    context,
    table: stateful.table,
    codeKey: stateful.codeKey,
  });
  // Explicit, because the bucket is shared by name: SES checks the bucket policy when the rule is created.
  stateless.addStackDependency(stateful, 'the raw-mail bucket policy must allow SES before the receipt rule exists');
  addRegionRules(stateful, context, { certificate: false });
  addRegionRules(stateless, context, { certificate: true });

  // Not on the dashboard: CloudFormation's AWS::CloudWatch::Dashboard takes Tags in some regions
  // only (cfn-lint's us-east-1 schema has none), and a template must deploy in every region we accept.
  Tags.of(app).add('project', 'one-time-auth-links', { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { stateful, stateless };
}

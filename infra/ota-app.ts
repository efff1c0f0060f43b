/**
 * Builds the whole app into a given App: reads context, creates both stacks, plugs in cdk-nag.
 * Shared by infra/app.ts (the `cdk` entry) and test/infra, so tests synthesise what ops deploy.
 */
import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readContext } from './context.js';
import { otaNames } from './names.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export interface OtaApp {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export function buildOtaApp(app: App): OtaApp {
  const context = readContext(app.node);
  const names = otaNames(context.stackPrefix);
  // Account and region from the CLI's profile when there is one; env-agnostic otherwise, so
  // `cdk synth` works offline without credentials.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const stateful = new StatefulStack(app, names.statefulStack, {
    env,
    description: 'One-time authentication links: table and raw-mail bucket (retained)',
    names,
    rawMailPrefix: context.config.RawMailPrefix,
    rawMailRetentionDays: context.rawMailRetentionDays,
    rawMailProtection: context.rawMailProtection,
    contributorInsights: context.contributorInsights,
  });
  const stateless = new StatelessStack(app, names.statelessStack, {
    env,
    description: 'One-time authentication links: functions, HTTP API, SES receipt rule, bus, schedules, alarms',
    names,
    context,
    table: stateful.table,
  });
  // Explicit, because the bucket is shared by name: SES checks the bucket policy when the rule is created.
  stateless.addStackDependency(stateful, 'the raw-mail bucket policy must allow SES before the receipt rule exists');

  Tags.of(app).add('project', 'one-time-auth-links');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { stateful, stateless };
}

/**
 * Builds the real app in-process, with cdk.json's feature flags (so tests see what `cdk synth`
 * makes) and a test configuration. Not a test file: jest only runs `*.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { App, Stack, type CfnElement, type Environment } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildOtaApp, type OtaApp } from '../../infra/ota-app.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

/** Feature flags only: the `ota:*` keys in cdk.json are ops' settings, tests choose their own. */
const featureFlags = Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => !key.startsWith('ota:')));

export const TEST_CONFIG = {
  SupportAddress: 'help@support.acme-helpdesk.eu',
  PortalUrl: 'https://help.acme-helpdesk.eu',
  RawMailPrefix: 'mail/',
} as const;

/** For tests about other parts than the function code: CDK then stages a placeholder asset. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/**
 * A production app (the default) with alarm mail declined unless a test names someone. Region-
 * agnostic unless `env` says otherwise, whatever the shell's CDK_* variables say.
 */
export function buildApp(context: Record<string, unknown> = {}, env: Environment = {}): OtaApp & { app: App } {
  const app = new App({ context: { ...featureFlags, 'ota:config': TEST_CONFIG, 'ota:alarmEmail': 'none', ...context } });
  return { app, ...buildOtaApp(app, { env }) };
}

/** Synthesises once: the templates, and the stacks for finding resources through their constructs. */
export function synthTemplates(context: Record<string, unknown> = {}, env: Environment = {}) {
  const { app, stateful, stateless } = buildApp(context, env);
  // One synth for both templates (Template.fromStack would synthesise, and run cdk-nag, once per stack).
  const assembly = app.synth();
  const template = (stack: Stack) => Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>);
  return { app, statefulStack: stateful, statelessStack: stateless, stateful: template(stateful), stateless: template(stateless) };
}

/** Logical id of a construct's CloudFormation resource (its default child). */
export function idOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Logical id of the single resource of a type, for Ref / GetAtt assertions. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}

/**
 * What synth refuses before anything deploys (infra/preflight.ts), each refusal naming its key, and
 * where the stacks deploy when nothing names a region: nowhere baked in, checked by CloudFormation.
 */
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { buildOtaApp } from '../../infra/ota-app.js';
import { ContextError, readContext } from '../../infra/context.js';
import { ACCEPTED_REGIONS, checkDeployable, placeholderDomain, targetEnvironment } from '../../infra/preflight.js';
import { buildApp, SKIP_BUNDLING, synthTemplates, TEST_CONFIG } from './synth.js';

const ACCOUNT = '123456789012';
const EU_WEST_1 = { account: ACCOUNT, region: 'eu-west-1' };
const customDomain = (certificateRegion: string) => ({
  'ota:domainName': 'help.acme-helpdesk.eu',
  'ota:config': { ...TEST_CONFIG, PortalUrl: 'https://help.acme-helpdesk.eu' },
  'ota:certificateArn': `arn:aws:acm:${certificateRegion}:${ACCOUNT}:certificate/abc-123`,
});
// Refusals come before any construct is made: these builds are cheap.
const build = (context: Record<string, unknown>, env = {}) => () => buildApp({ ...SKIP_BUNDLING, ...context }, env);
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

describe('synth refuses a certificate from another region than the stacks', () => {
  it('names ota:certificateArn, both regions and what to do', () => {
    expect(build(customDomain('us-east-1'), EU_WEST_1)).toThrow(
      'ota:certificateArn: the certificate is in us-east-1 but the stacks deploy to eu-west-1; a regional API domain takes its certificate from its own region only: request or import one in eu-west-1',
    );
    expect(build(customDomain('us-east-1'), EU_WEST_1)).toThrow(ContextError);
  });

  it('takes one from the stacks’ region', () => {
    expect(build(customDomain('eu-west-1'), EU_WEST_1)).not.toThrow();
  });
});

describe('synth refuses a region without SES email receiving', () => {
  it.each([['eu-central-2'], ['ap-east-1'], ['il-central-1']])('%s, listing the regions it accepts and where to set the region', (region) => {
    expect(build({}, { account: ACCOUNT, region })).toThrow(new RegExp(`^region ${region} cannot receive mail for these stacks .*: deploy to one of us-east-1, .*eu-west-1, .*CDK_DEPLOY_REGION\\)$`));
  });

  it('accepts every region of the list', () => {
    const context = readContext(new App({ context: { 'ota:config': TEST_CONFIG, 'ota:alarmEmail': 'none' } }).node);
    const refusal = (region: string) => {
      try {
        checkDeployable(context, region);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(ACCEPTED_REGIONS.map((region) => [region, refusal(region)])).toEqual(ACCEPTED_REGIONS.map((region) => [region, 'accepted']));
    expect(build({}, { account: ACCOUNT, region: 'ap-southeast-2' })).not.toThrow();
  });

  it('is the list cfn-lint checks the templates against (.cfnlintrc.yaml)', () => {
    const rc = readFileSync(new URL('../../.cfnlintrc.yaml', import.meta.url), 'utf8');
    const regions = /^regions:\n((?: {2}- .+\n)+)/m.exec(rc)![1]!.split('\n').filter(Boolean).map((line) => line.replace('  - ', ''));
    expect(regions).toEqual([...ACCEPTED_REGIONS]);
  });
});

describe('a production synth refuses placeholder addresses, naming the key', () => {
  it.each([
    ['SupportAddress', { 'ota:config': { ...TEST_CONFIG, SupportAddress: 'support@example.com' } }, /^ota:config: SupportAddress: support@example\.com uses example\.com, a placeholder domain/],
    ['PortalUrl', { 'ota:config': { ...TEST_CONFIG, PortalUrl: 'https://support.example.com' } }, /^ota:config: PortalUrl: https:\/\/support\.example\.com uses example\.com/],
    ['a recipient', { 'ota:recipients': 'help@support.acme-helpdesk.eu, .example.org' }, /^ota:recipients: \.example\.org uses example\.org/],
    ['an alarm address', { 'ota:alarmEmail': 'oncall@ops.test' }, /^ota:alarmEmail: oncall@ops\.test uses \.test/],
  ])('%s', (_what, context, message) => {
    expect(build(context)).toThrow(message);
    // A test stack may use them.
    expect(build({ ...context, 'ota:production': 'false' })).not.toThrow();
  });

  it('refuses the shipped cdk.json as it is, and takes it as a test stack', () => {
    const shipped = () => buildOtaApp(new App({ context: { ...cdkJson.context, ...SKIP_BUNDLING } }), { env: {} });
    expect(shipped).toThrow(/^ota:config: SupportAddress: support@example\.com uses example\.com/);
    expect(() => buildOtaApp(new App({ context: { ...cdkJson.context, ...SKIP_BUNDLING, 'ota:production': 'false' } }), { env: {} })).not.toThrow();
  });

  it('knows the reserved domains and nothing else', () => {
    const hosts = ['example.com', 'Mail.Example.NET', '.example.org', 'shop.example', 'x.test', 'y.invalid', 'example.com.evil.eu', 'myexample.com', 'acme-helpdesk.eu'];
    expect(hosts.map((h) => [h, placeholderDomain(h)])).toEqual([
      ['example.com', 'example.com'],
      ['Mail.Example.NET', 'example.net'],
      ['.example.org', 'example.org'],
      ['shop.example', '.example'],
      ['x.test', '.test'],
      ['y.invalid', '.invalid'],
      ['example.com.evil.eu', undefined],
      ['myexample.com', undefined],
      ['acme-helpdesk.eu', undefined],
    ]);
  });
});

describe('a production synth needs someone to mail alarms to', () => {
  it('refuses ota:alarmEmail unset, saying how to decline on purpose', () => {
    expect(build({ 'ota:alarmEmail': '' })).toThrow(/^ota:alarmEmail: a production deployment needs someone to mail its alarms to .*or "none" to deploy without alarm mail on purpose/);
  });

  it('takes an address, or "none" (no topic then); a test stack needs neither', () => {
    expect(build({ 'ota:alarmEmail': 'oncall@acme-helpdesk.eu' })().stateless.monitoring.topic).toBeDefined();
    expect(build({ 'ota:alarmEmail': 'none' })().stateless.monitoring.topic).toBeUndefined();
    expect(build({ 'ota:alarmEmail': '', 'ota:production': 'false' })().stateless.monitoring.topic).toBeUndefined();
  });
});

describe('where the stacks deploy', () => {
  it.each([
    ['nothing set', {}, { account: undefined, region: undefined }],
    ['the CLI without credentials (its us-east-1 fallback)', { CDK_DEFAULT_REGION: 'us-east-1' }, { account: undefined, region: undefined }],
    ['the CLI with a profile', { CDK_DEFAULT_ACCOUNT: ACCOUNT, CDK_DEFAULT_REGION: 'eu-west-1' }, EU_WEST_1],
    ['CDK_DEPLOY_* over the profile', { CDK_DEFAULT_ACCOUNT: '999999999999', CDK_DEFAULT_REGION: 'us-east-1', CDK_DEPLOY_ACCOUNT: ACCOUNT, CDK_DEPLOY_REGION: 'eu-west-1' }, EU_WEST_1],
    ['CDK_DEPLOY_REGION alone', { CDK_DEFAULT_REGION: 'us-east-1', CDK_DEPLOY_REGION: 'eu-west-1' }, { account: undefined, region: 'eu-west-1' }],
  ])('%s', (_what, vars, expected) => {
    expect(targetEnvironment(vars)).toEqual(expected);
  });

  // Prepare: one region-agnostic synth with a custom domain, one for eu-west-1.
  const agnostic = synthTemplates({ ...SKIP_BUNDLING, ...customDomain('eu-west-1') });
  const pinned = synthTemplates({ ...SKIP_BUNDLING, ...customDomain('eu-west-1') }, EU_WEST_1);
  // The template without its rules, and without the certificate ARN, which names its own region.
  const body = (t: typeof agnostic.stateful) => JSON.stringify({ ...t.toJSON(), Rules: undefined }).replaceAll(customDomain('eu-west-1')['ota:certificateArn'], '<certificate>');

  it('bakes no region into a synth without one: resources and cross-stack references use AWS::Region', () => {
    for (const template of [agnostic.stateful, agnostic.stateless]) {
      expect(ACCEPTED_REGIONS.filter((region) => body(template).includes(region))).toEqual([]);
    }
    expect(body(agnostic.stateless)).toMatch(/"Fn::GetStackOutput":\{"StackName":"OtaStateful","Region":\{"Ref":"AWS::Region"\}/);
  });

  it('has CloudFormation refuse a region without receiving, and a certificate from another region, before creating anything', () => {
    expect(agnostic.stateful.toJSON().Rules.AcceptedRegion.Assertions).toEqual([
      { Assert: { 'Fn::Contains': [[...ACCEPTED_REGIONS], { Ref: 'AWS::Region' }] }, AssertDescription: expect.stringMatching(/^These stacks receive mail through SES only in us-east-1, /) },
    ]);
    expect(agnostic.stateless.toJSON().Rules.AcceptedRegion).toEqual(agnostic.stateful.toJSON().Rules.AcceptedRegion);
    expect(agnostic.stateless.toJSON().Rules.CertificateRegion.Assertions).toEqual([
      { Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, AssertDescription: expect.stringContaining('ota:certificateArn is a certificate in eu-west-1') },
    ]);
  });

  it('checks at synth instead when the region is known, and bakes it in', () => {
    expect(Object.keys(pinned.stateless.toJSON().Rules)).toEqual(['CheckBootstrapVersion']);
    expect(body(pinned.stateless)).toContain('"Region":"eu-west-1"');
  });
});

/**
 * The two ways of receiving mail (infra/README.md, "Receiving mail"): our own rule set, or our rule
 * in an existing active one (ota:receiptRuleSet) beside other environments' rules. Whichever it is,
 * SES may write the raw mail and invoke inbound-mail for our rule only: the bucket policy
 * (stateful stack) and the Lambda permission (stateless stack) name that rule's real ARN.
 */
import { describe, it, expect } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { SKIP_BUNDLING, synthTemplates } from './synth.js';

// Prepare: our own set; an existing set; a second environment (another prefix) in the same set.
const SHARED = 'inbound-shared';
const own = synthTemplates(SKIP_BUNDLING);
const first = synthTemplates({ ...SKIP_BUNDLING, 'ota:receiptRuleSet': SHARED });
const second = synthTemplates({
  ...SKIP_BUNDLING,
  'ota:receiptRuleSet': SHARED,
  'ota:stackPrefix': 'OtaStaging',
  'ota:config': { SupportAddress: 'help@staging.acme-helpdesk.eu', PortalUrl: 'https://staging.acme-helpdesk.eu', RawMailPrefix: 'mail/' },
});

/** A value as CloudFormation will resolve it, references shown as ${Name}. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  return JSON.stringify(value);
}
const ruleArn = (set: string, rule: string) => `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:receipt-rule-set/${set}:receipt-rule/${rule}`;

type Synth = typeof own;
/** The SourceArn SES must present to put raw mail into the bucket. */
function bucketPolicySourceArns(synth: Synth): string[] {
  const statements = Object.values(synth.stateful.findResources('AWS::S3::BucketPolicy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as { Principal?: { Service?: string }; Condition?: { StringEquals?: Record<string, unknown> } }[],
  );
  return statements.filter((s) => s.Principal?.Service === 'ses.amazonaws.com').map((s) => text(s.Condition?.StringEquals?.['aws:SourceArn']));
}
/** The SourceArn SES must present to invoke inbound-mail. */
function permissionSourceArns(synth: Synth): string[] {
  return Object.values(synth.stateless.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'ses.amazonaws.com' } })).map((p) => text(p.Properties.SourceArn));
}
const rules = (t: Template) => Object.values(t.findResources('AWS::SES::ReceiptRule')).map((r) => ({ set: r.Properties.RuleSetName as unknown, name: r.Properties.Rule.Name as string, recipients: r.Properties.Rule.Recipients as string[] }));
const outputs = (t: Template) => Object.fromEntries(Object.entries(t.findOutputs('*')).map(([k, o]) => [k, o.Value]));

describe('our own rule set (no ota:receiptRuleSet)', () => {
  it('creates <prefix>-inbound with our rule in it (activating it is left to ops)', () => {
    const sets = Object.entries(own.stateless.findResources('AWS::SES::ReceiptRuleSet'));
    expect(sets.map(([, s]) => s.Properties)).toEqual([{ RuleSetName: 'Ota-inbound' }]);
    expect(rules(own.stateless)).toEqual([{ set: { Ref: sets[0]![0] }, name: 'Ota-inbound-mail', recipients: ['help@support.acme-helpdesk.eu'] }]);
  });

  it('scopes the bucket policy and the Lambda permission to that rule', () => {
    expect(bucketPolicySourceArns(own)).toEqual([ruleArn('Ota-inbound', 'Ota-inbound-mail')]);
    expect(permissionSourceArns(own)).toEqual([ruleArn('Ota-inbound', 'Ota-inbound-mail')]);
    expect(outputs(own.stateless)).toMatchObject({ ReceiptRuleSetName: 'Ota-inbound', ReceiptRuleName: 'Ota-inbound-mail' });
  });
});

describe('an existing rule set (ota:receiptRuleSet)', () => {
  it('adds our rule to it and creates no rule set', () => {
    expect(first.stateless.findResources('AWS::SES::ReceiptRuleSet')).toEqual({});
    expect(rules(first.stateless)).toEqual([{ set: SHARED, name: 'Ota-inbound-mail', recipients: ['help@support.acme-helpdesk.eu'] }]);
  });

  it('scopes the bucket policy and the Lambda permission to our rule’s ARN in that set', () => {
    expect(bucketPolicySourceArns(first)).toEqual([ruleArn(SHARED, 'Ota-inbound-mail')]);
    expect(permissionSourceArns(first)).toEqual([ruleArn(SHARED, 'Ota-inbound-mail')]);
    expect(outputs(first.stateless)).toMatchObject({ ReceiptRuleSetName: SHARED, ReceiptRuleName: 'Ota-inbound-mail' });
  });
});

describe('two environments (two prefixes) in one region and one rule set', () => {
  it('each has its own rule, for its own recipients', () => {
    expect([...rules(first.stateless), ...rules(second.stateless)]).toEqual([
      { set: SHARED, name: 'Ota-inbound-mail', recipients: ['help@support.acme-helpdesk.eu'] },
      { set: SHARED, name: 'OtaStaging-inbound-mail', recipients: ['help@staging.acme-helpdesk.eu'] },
    ]);
  });

  it('each lets SES write its own bucket and invoke its own function for its own rule only', () => {
    expect([bucketPolicySourceArns(second), permissionSourceArns(second)]).toEqual([[ruleArn(SHARED, 'OtaStaging-inbound-mail')], [ruleArn(SHARED, 'OtaStaging-inbound-mail')]]);
    expect([bucketPolicySourceArns(first), permissionSourceArns(first)]).toEqual([[ruleArn(SHARED, 'Ota-inbound-mail')], [ruleArn(SHARED, 'Ota-inbound-mail')]]);
    const namedBuckets = (s: Synth) => Object.values(s.stateful.findResources('AWS::S3::Bucket')).flatMap((b) => (b.Properties.BucketName ? [text(b.Properties.BucketName)] : []));
    expect([...namedBuckets(first), ...namedBuckets(second)]).toEqual(['ota-raw-mail-${AWS::AccountId}-${AWS::Region}', 'otastaging-raw-mail-${AWS::AccountId}-${AWS::Region}']);
  });
});

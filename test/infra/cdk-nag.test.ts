import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp, SKIP_BUNDLING } from './synth.js';

/** Every finding, errors and warnings alike, that no acknowledgement covers. */
function findings(app: App): string[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new ServerlessChecks()];
  return packs.flatMap((pack) =>
    pack.validateScope(app).violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
    ),
  );
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

/** Every optional feature turned the other way from the defaults. */
const CUSTOM_CONTEXT = {
  'ota:receiptRuleSet': 'inbound-shared',
  'ota:tracing': 'false',
  'ota:requireTls': 'false',
  'ota:rawMailProtection': 'object-lock',
  'ota:contributorInsights': 'true',
  'ota:alarmEmail': 'oncall@acme-helpdesk.eu',
  'ota:domainName': 'help.acme-helpdesk.eu',
  'ota:certificateArn': 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123',
};

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  // Prepare: synth first, so checks see the finished tree (cross-stack references resolved). The
  // function code does not matter to any rule, so nothing is bundled.
  const { app, stateful, stateless } = buildApp(SKIP_BUNDLING);
  app.synth();
  const custom = buildApp({ ...SKIP_BUNDLING, ...CUSTOM_CONTEXT });
  custom.app.synth();

  it('has no unacknowledged error or warning', () => {
    expect(findings(app)).toEqual([]);
  });

  it('has none with every optional feature switched (existing rule set, domain, alarm mail, no tracing, object lock)', () => {
    expect(findings(custom.app)).toEqual([]);
  });

  it('acknowledges wildcard IAM findings one resource at a time, never the whole rule', () => {
    const iam5 = acknowledgements(app).filter((a) => a.id.includes('IAM5'));
    expect(iam5.length).toBeGreaterThan(0);
    expect(iam5.filter((a) => !/^(Annotation::)?AwsSolutions-IAM5\[Resource::.+\]$/.test(a.id))).toEqual([]);
  });

  it('records every acknowledgement with its reason in the cloud assembly', () => {
    const recorded = JSON.stringify(
      [stateful, stateless].map((stack) => JSON.parse(readFileSync(path.join(app.outdir, `${stack.artifactId}.metadata.json`), 'utf8')) as unknown),
    );
    for (const ack of acknowledgements(app)) expect(recorded).toContain(JSON.stringify(ack.reason));
  });

  it('leaves no unacknowledged CDK warning either', () => {
    for (const stack of [stateful, stateless]) expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('is registered on the app, so synth fails on a new finding', () => {
    const unsafe = buildApp(SKIP_BUNDLING);
    new Queue(unsafe.stateless, 'Unacknowledged', { enforceSSL: false });
    expect(() => unsafe.app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('gives every acknowledgement a reason a reviewer can check', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.reason.trim().length < 40)).toEqual([]);
  });

  it('does find problems (control: a queue that accepts plain HTTP)', () => {
    const control = new App();
    new Queue(new Stack(control, 'Control'), 'Plain');
    expect(findings(control).join('\n')).toMatch(/AwsSolutions-SQS4/);
  });
});

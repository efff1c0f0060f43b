import { describe, it, expect } from '@jest/globals';
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

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  // Prepare: synth first, so checks see the finished tree (cross-stack references resolved).
  const { app, stateful, stateless } = buildApp();
  app.synth();

  it('has no unacknowledged error or warning', () => {
    expect(findings(app)).toEqual([]);
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

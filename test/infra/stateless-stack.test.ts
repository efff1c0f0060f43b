import { describe, it, expect } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { INDEXES } from '../../shared/adapters/dynamodb/table-definition.js';
import { onlyLogicalId, SKIP_BUNDLING, synthTemplates, TEST_CONFIG } from './synth.js';

// Prepare: one synth for the whole file (bundling is the slow part).
const { stateless } = synthTemplates();
const functionId = onlyLogicalId(stateless, 'AWS::Lambda::Function');
const queueId = onlyLogicalId(stateless, 'AWS::SQS::Queue');

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const statements = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actionsOf = (s: Statement) => [s.Action].flat();

describe('stateless stack: inbound-mail function', () => {
  it('runs on nodejs24.x, arm64, with memory for a 10 MB mail, traced', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 30,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('gets table, bucket and the ota:config override through the environment', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          OTA_TABLE_NAME: Match.anyValue(),
          OTA_RAW_MAIL_BUCKET: Match.anyValue(),
          OTA_CONFIG_JSON: JSON.stringify(TEST_CONFIG),
          POWERTOOLS_SERVICE_NAME: 'inbound-mail',
          POWERTOOLS_METRICS_NAMESPACE: 'OneTimeAuthLinks',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it('logs to its own log group with a retention', () => {
    const logGroupId = onlyLogicalId(stateless, 'AWS::Logs::LogGroup');
    stateless.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: Match.objectLike({ LogGroup: { Ref: logGroupId } }) });
    stateless.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('retries twice, then sends the event to an encrypted queue', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    stateless.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    stateless.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });
});

describe('stateless stack: least privilege', () => {
  it('uses "*" only for the X-Ray actions, which have no resource-level permissions', () => {
    const wildcard = statements(stateless).filter((s) => s.Resource === '*');
    expect(wildcard.flatMap(actionsOf).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    expect(statements(stateless).flatMap(actionsOf).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('queries the table and each index by name, never index/*', () => {
    const query = statements(stateless).find((s) => actionsOf(s).includes('dynamodb:Query'));
    const text = JSON.stringify(query?.Resource);
    for (const index of Object.values(INDEXES)) expect(text).toContain(`/index/${index.name}"`);
    expect(text).not.toContain('/index/*');
  });

  it('reads raw mail only under RawMailPrefix and sends only as the support identity', () => {
    const read = statements(stateless).find((s) => actionsOf(s).includes('s3:GetObject'));
    expect(JSON.stringify(read?.Resource)).toMatch(/\/mail\/\*"\]\]\}$/);
    const send = statements(stateless).find((s) => actionsOf(s).includes('ses:SendEmail'));
    const sendText = JSON.stringify(send?.Resource);
    expect(sendText).toContain(':identity/support.example.org"');
    expect(sendText).toContain(':identity/help@support.example.org"');
  });
});

describe('stateless stack: SES receipt rule', () => {
  it('stores the raw mail in S3 first, then invokes the function asynchronously', () => {
    stateless.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Name: 'Ota-inbound-mail',
        Enabled: true,
        ScanEnabled: true,
        Recipients: [TEST_CONFIG.SupportAddress],
        Actions: [
          { S3Action: Match.objectEquals({ BucketName: Match.anyValue(), ObjectKeyPrefix: 'mail/' }) },
          { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] }, InvocationType: 'Event' } },
        ],
      }),
    });
    stateless.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Ota-inbound' });
  });

  it('lets only SES of this account, for this rule, invoke the function', () => {
    stateless.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':receipt-rule-set/Ota-inbound:receipt-rule/Ota-inbound-mail'])] }),
    });
    expect(Object.keys(stateless.findResources('AWS::Lambda::Permission'))).toHaveLength(1);
  });

  it('takes recipients, prefix and TLS policy from context', () => {
    const { stateless: custom } = synthTemplates({
      ...SKIP_BUNDLING,
      'ota:recipients': 'Help@Example.org, example.net',
      'ota:stackPrefix': 'Desk',
      'ota:requireTls': 'true',
    });
    custom.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({ Name: 'Desk-inbound-mail', Recipients: ['help@example.org', 'example.net'], TlsPolicy: 'Require' }),
    });
  });
});

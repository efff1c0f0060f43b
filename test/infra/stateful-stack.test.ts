import { describe, it, expect } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { createTableInput, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-definition.js';
import { SKIP_BUNDLING, synthTemplates } from './synth.js';

// Prepare: two synths for the whole file (defaults and the other choices); nothing here depends on the function bundle.
const { stateful } = synthTemplates({ ...SKIP_BUNDLING, 'ota:rawMailRetentionDays': 30 });
const HELPDESK = 'arn:aws:iam::210987654321:role/helpdesk-files';
const { stateful: custom } = synthTemplates({ ...SKIP_BUNDLING, 'ota:rawMailProtection': 'object-lock', 'ota:contributorInsights': 'true', 'ota:helpdeskPrincipals': HELPDESK });

describe('stateful stack: table', () => {
  const expected = createTableInput('unused');

  it('declares the same keys and indexes as the shared table definition', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: expected.KeySchema,
      AttributeDefinitions: Match.arrayEquals(expected.AttributeDefinitions.map((a) => Match.objectEquals(a))),
      GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('expires items by the TTL attribute', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('is encrypted, recoverable, protected and retained', () => {
    stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });
});

describe('stateful stack: contributor insights', () => {
  it('are off by default and on, for the table and every index, by context', () => {
    const table = (t: typeof stateful) => Object.values(t.findResources('AWS::DynamoDB::Table'))[0]!.Properties;
    expect(table(stateful).ContributorInsightsSpecification).toEqual({ Enabled: false });
    expect(table(custom).ContributorInsightsSpecification).toEqual({ Enabled: true });
    expect(table(custom).GlobalSecondaryIndexes.map((i: { ContributorInsightsSpecification: unknown }) => i.ContributorInsightsSpecification)).toEqual(
      Object.keys(createTableInput('unused').GlobalSecondaryIndexes).map(() => ({ Enabled: true })),
    );
  });
});

describe('stateful stack: outputs the ops CLI reads', () => {
  it('names the table, the raw-mail bucket and its prefix', () => {
    expect(Object.keys(stateful.findOutputs('*')).sort()).toEqual(expect.arrayContaining(['RawMailBucketName', 'RawMailPrefix', 'TableName']));
    stateful.hasOutput('RawMailPrefix', { Value: 'mail/' });
  });
});

describe('stateful stack: raw-mail bucket', () => {
  const rawMail = { BucketName: Match.anyValue() };

  it('is encrypted, private, retained and logs access to the other bucket', () => {
    stateful.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ...rawMail,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: Match.anyValue() },
      }),
    });
  });

  it('expires raw mail after ota:rawMailRetentionDays', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      ...rawMail,
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })]) },
    });
  });

  it('expires the ticket files with the raw mail: the rule covers the whole bucket, not only RawMailPrefix', () => {
    const rules = Object.values(stateful.findResources('AWS::S3::Bucket', { Properties: rawMail }))[0]!.Properties.LifecycleConfiguration.Rules as { Id: string; Prefix?: string; Filter?: unknown }[];
    const expiry = rules.find((r) => r.Id === 'expire-raw-mail');
    expect(expiry).toBeDefined();
    expect(expiry?.Prefix).toBeUndefined();
    expect(expiry?.Filter).toBeUndefined();
  });

  it('is versioned by default, old versions expiring; object lock (governance, for the retention) by context', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      ...rawMail,
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]) },
    });
    expect(Object.values(stateful.findResources('AWS::S3::Bucket', { Properties: rawMail }))[0]!.Properties.ObjectLockEnabled).toBeUndefined();
    custom.hasResourceProperties('AWS::S3::Bucket', {
      ...rawMail,
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
    });
  });

  it('lets only our receipt rule in this account put objects, only under RawMailPrefix', () => {
    const bucketId = rawMailBucketId();
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'AllowSesReceiptRulePut',
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/mail/*']] },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([':receipt-rule-set/Ota-inbound:receipt-rule/Ota-inbound-mail'])],
                }),
              },
            },
          },
        ]),
      },
    });
  });
});

describe('stateful stack: the helpdesk’s files', () => {
  const statements = (t: typeof stateful) => Object.values(t.findResources('AWS::S3::BucketPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Principal?: unknown; Action: unknown; Resource: unknown }[]);

  it('grants no one but SES by default', () => {
    expect(statements(stateful).filter((st) => st.Sid?.startsWith('AllowHelpdesk'))).toEqual([]);
  });

  it('lets ota:helpdeskPrincipals read attachments/ and helpdesk-files/, and put only under helpdesk-files/', () => {
    const helpdesk = statements(custom).filter((st) => st.Sid?.startsWith('AllowHelpdesk'));
    const resources = (st: { Resource: unknown }) => JSON.stringify(st.Resource);
    expect(helpdesk.map((st) => [st.Sid, st.Principal, st.Action])).toEqual([
      ['AllowHelpdeskReadTicketFiles', { AWS: HELPDESK }, 's3:GetObject'],
      ['AllowHelpdeskPutAgentFiles', { AWS: HELPDESK }, 's3:PutObject'],
    ]);
    expect(resources(helpdesk[0]!)).toMatch(/\/attachments\/\*.*\/helpdesk-files\/\*/);
    expect(resources(helpdesk[1]!)).toMatch(/\/helpdesk-files\/\*"/);
    expect(resources(helpdesk[1]!)).not.toContain('attachments');
  });
});

function rawMailBucketId(): string {
  const named = stateful.findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.anyValue() } });
  const ids = Object.keys(named);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

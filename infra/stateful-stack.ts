/**
 * Everything that holds data and must outlive a redeploy: the table, the raw-mail bucket (plus
 * the bucket that receives its access logs) and the key of the sign-in codes. All retained;
 * deleting the stack leaves them behind.
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { ArnPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../shared/adapters/dynamodb/table-definition.js';
import { FILE_PREFIXES } from '../shared/domain/files.js';
import type { RawMailProtection } from './context.js';
import { receiptRuleArn, type OtaNames } from './names.js';

export interface StatefulStackProps extends StackProps {
  readonly names: OtaNames;
  /** Key prefix the SES S3 action writes under (config RawMailPrefix). */
  readonly rawMailPrefix: string;
  readonly rawMailRetentionDays: number;
  readonly rawMailProtection: RawMailProtection;
  /** CloudWatch Contributor Insights on the table and its indexes (most-accessed and throttled keys). */
  readonly contributorInsights: boolean;
  /** The helpdesk's IAM roles or users: they read the ticket files and put agent-reply files (infra/README.md). */
  readonly helpdeskPrincipals?: readonly string[];
}

/** How long an overwritten or deleted raw mail stays restorable under `versioning`. */
const NONCURRENT_DAYS = 30;

export class StatefulStack extends Stack {
  readonly table: Table;
  readonly rawMailBucket: Bucket;
  /** The key of the sign-in codes' keyed hash (shared/code-key.ts): outside the table, so a copy of it cannot test codes. */
  readonly codeKey: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.table = this.createTable(props.contributorInsights);
    // `npm run ota -- --aws --table <TableName>` needs this name; the CLI reads the other two itself.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'DynamoDB table for the ops CLI (--table)' });
    this.rawMailBucket = this.createRawMailBucket(props);
    new CfnOutput(this, 'RawMailBucketName', { value: this.rawMailBucket.bucketName, description: 'Raw MIME of inbound mail (ops CLI: delivery list/replay)' });
    new CfnOutput(this, 'RawMailPrefix', { value: props.rawMailPrefix, description: 'Key prefix of the raw MIME (config RawMailPrefix)' });
    this.codeKey = this.createCodeKey();
    new CfnOutput(this, 'CodeKeySecretArn', { value: this.codeKey.secretArn, description: 'Key of the sign-in codes (infra/README.md): read by the functions only' });
  }

  /**
   * 64 generated characters (about 380 bits) that only the functions read. Retained like the table:
   * a new key would turn every code in a mail not yet used into a wrong one.
   */
  private createCodeKey(): Secret {
    const secret = new Secret(this, 'CodeKey', {
      description: 'Key of the sign-in codes (HMAC-SHA-256). Do not rotate: codes already mailed would stop working.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key of the sign-in codes has no rotation: a new key would make every code in a mail not yet used a wrong one. It never ' +
        'leaves the functions that read it (GetSecretValue on this ARN only), and a code lives at most TokenMaxAgeDays.',
    });
    return secret;
  }

  /** Same shape as shared/adapters/dynamodb/table-definition.ts, which the local stack and tests use. */
  private createTable(contributorInsights: boolean): Table {
    const string = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new Table(this, 'Table', {
      partitionKey: string(TABLE_KEYS.partitionKey),
      sortKey: string(TABLE_KEYS.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      contributorInsightsSpecification: { enabled: contributorInsights },
    });
    for (const index of Object.values(INDEXES)) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        projectionType: ProjectionType.ALL,
        contributorInsightsSpecification: { enabled: contributorInsights },
      });
    }
    return table;
  }

  private createRawMailBucket(props: StatefulStackProps): Bucket {
    const common = {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // S3 server access logs may only go to an SSE-S3 bucket, and one without its own log target.
    const accessLogs = new Bucket(this, 'AccessLogBucket', {
      ...common,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.rawMailRetentionDays) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server access log target of the raw-mail bucket; logging it into itself would loop.',
    });

    // Raw MIME is the only full copy of a customer's mail (the table keeps a trimmed text), so it is
    // kept for a bounded time. Each SES messageId is written once; protection guards against a
    // mistaken delete (versioning) or also any delete before the retention ends (object lock).
    const bucket = new Bucket(this, 'RawMailBucket', {
      ...common,
      bucketName: props.names.rawMailBucket,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'raw-mail/',
      ...rawMailProtection(props.rawMailProtection, props.rawMailRetentionDays),
      lifecycleRules: [
        { id: 'expire-raw-mail', expiration: Duration.days(props.rawMailRetentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...(props.rawMailProtection === 'none' ? [] : [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS) }]),
      ],
    });

    // SES may write only under the prefix, only for this account, and only for our receipt rule,
    // so no other rule (or another account's SES, the confused deputy) can drop objects here.
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesReceiptRulePut',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${props.rawMailPrefix}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': receiptRuleArn(this, props.names) },
        },
      }),
    );
    if (props.helpdeskPrincipals?.length) this.grantHelpdesk(bucket, props.helpdeskPrincipals);
    return bucket;
  }

  /**
   * The helpdesk reads the files a CustomerReplied or TicketCreated names (`attachments/…`, by key)
   * and puts the files of its agent replies under `helpdesk-files/<ticket>/` (docs/events.md). Granted
   * on the bucket, so a helpdesk in another account needs only its own role's matching statement.
   */
  private grantHelpdesk(bucket: Bucket, principals: readonly string[]): void {
    const helpdesk = principals.map((arn) => new ArnPrincipal(arn));
    bucket.addToResourcePolicy(
      new PolicyStatement({ sid: 'AllowHelpdeskReadTicketFiles', principals: helpdesk, actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${FILE_PREFIXES.attachments}*`), bucket.arnForObjects(`${FILE_PREFIXES.helpdesk}*`)] }),
    );
    bucket.addToResourcePolicy(new PolicyStatement({ sid: 'AllowHelpdeskPutAgentFiles', principals: helpdesk, actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${FILE_PREFIXES.helpdesk}*`)] }));
  }
}

function rawMailProtection(protection: RawMailProtection, retentionDays: number): Partial<BucketProps> {
  if (protection === 'none') return {};
  if (protection === 'versioning') return { versioned: true };
  // Governance mode: an administrator with s3:BypassGovernanceRetention can still delete (a legal
  // request to erase a mail); compliance mode would make that impossible for anyone.
  return { versioned: true, objectLockEnabled: true, objectLockDefaultRetention: ObjectLockRetention.governance(Duration.days(retentionDays)) };
}

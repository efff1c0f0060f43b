/**
 * Everything that holds data and must outlive a redeploy: the table and the raw-mail bucket (plus
 * the bucket that receives its access logs). All retained; deleting the stack leaves them behind.
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../shared/adapters/dynamodb/table-definition.js';
import { receiptRuleArn, type OtaNames } from './names.js';

export interface StatefulStackProps extends StackProps {
  readonly names: OtaNames;
  /** Key prefix the SES S3 action writes under (config RawMailPrefix). */
  readonly rawMailPrefix: string;
  readonly rawMailRetentionDays: number;
}

export class StatefulStack extends Stack {
  readonly table: Table;
  readonly rawMailBucket: Bucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.table = this.createTable();
    // `npm run ota -- --aws --table <TableName>` needs this name.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'DynamoDB table for the ops CLI (--table)' });
    this.rawMailBucket = this.createRawMailBucket(props);
  }

  /** Same shape as shared/adapters/dynamodb/table-definition.ts, which the local stack and tests use. */
  private createTable(): Table {
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
    });
    for (const index of Object.values(INDEXES)) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        projectionType: ProjectionType.ALL,
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
    // kept for a bounded time, not versioned: each SES messageId is written once and never changed.
    const bucket = new Bucket(this, 'RawMailBucket', {
      ...common,
      bucketName: props.names.rawMailBucket,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'raw-mail/',
      lifecycleRules: [
        { id: 'expire-raw-mail', expiration: Duration.days(props.rawMailRetentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
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
    return bucket;
  }
}

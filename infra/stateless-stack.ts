/**
 * Everything that can be replaced by a redeploy: functions, their queues and alarms, and the SES
 * receipt rule that feeds them. Data lives in the stateful stack: the table comes in as a prop,
 * the raw-mail bucket by its fixed name (infra/names.ts).
 */
import { Aws, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Config } from '../shared/config.js';
import { ENV } from '../shared/env.js';
import { rawMailReadGrant, sesSendGrant, tableGrants } from './grants.js';
import { objectsArn, receiptRuleArn, type OtaNames } from './names.js';
import { nagResource } from './nag.js';
import { OtaFunction } from './ota-function.js';

export interface StatelessStackProps extends StackProps {
  readonly names: OtaNames;
  readonly config: Config;
  /** The ota:config override as JSON; the functions merge it over the defaults at cold start. */
  readonly configJson: string;
  readonly recipients: string[];
  readonly requireTls: boolean;
  readonly table: ITable;
}

export class StatelessStack extends Stack {
  readonly inboundMail: OtaFunction;
  /** The project's bus: helpdesk events in, our events (TicketCreated, CustomerReplied, TicketReopened) out. */
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.names.eventBus });
    const environment = {
      [ENV.tableName]: props.table.tableName,
      [ENV.rawMailBucket]: props.names.rawMailBucket,
      [ENV.eventBusName]: this.bus.eventBusName,
      [ENV.configJson]: props.configJson,
    };
    this.inboundMail = this.createInboundMail(props, environment);
    this.createReceiptRule(props, this.inboundMail);
  }

  private createInboundMail(props: StatelessStackProps, environment: Record<string, string>): OtaFunction {
    const failures = this.failureQueue('InboundMailFailures');
    const fn = new OtaFunction(this, 'InboundMail', {
      entry: 'functions/inbound-mail/index.ts',
      serviceName: 'inbound-mail',
      description: 'SES receipt: stores the customer and ticket, mints a token, sends the auto-reply',
      // A 10 MB mail is parsed in memory (MIME, attachments, html-to-text).
      memorySize: 512,
      // receive-mail's LEASE_MS (45 s) must stay longer than this, and shorter than Lambda's first retry.
      timeout: Duration.seconds(30),
      environment,
      grants: [
        // What shared/adapters/dynamodb does for inbound mail (test/infra checks the bundle against it).
        ...tableGrants(
          props.table,
          ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'],
          { query: true },
        ),
        rawMailReadGrant(props.names.rawMailBucket, props.config.RawMailPrefix),
        sesSendGrant(this, props.config.SupportAddress),
        new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }),
      ],
      // SES invokes asynchronously; the handler is idempotent per messageId, so retrying is safe.
      async: { retryAttempts: 2, onFailure: new SqsDestination(failures) },
    });
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[${nagResource(this, objectsArn(props.names.rawMailBucket, props.config.RawMailPrefix))}]`,
      reason:
        's3:GetObject is limited to the RawMailPrefix of the raw-mail bucket. Object keys are SES message ids, ' +
        'unknown until a mail arrives, so a key-level ARN cannot be written in advance.',
    });
    return fn;
  }

  /** Where an event lands after the last retry: kept 14 days for inspection and redrive, alarmed. */
  private failureQueue(id: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason = 'This queue is itself the last stop for failed asynchronous invocations; nothing consumes it automatically.';
    Validations.of(queue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: `${reason} A dead-letter queue of a dead-letter queue would only move the problem.` },
      { id: 'Serverless-SQSRedrivePolicy', reason: `${reason} Ops inspect and redrive it by hand; a redrive policy would hide failures.` },
    );
    new Alarm(this, `${id}Alarm`, {
      alarmDescription: `Events failed after all retries and wait in ${id}`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return queue;
  }

  /**
   * One rule: store the raw MIME in S3, then invoke the function with the S3 location implied by
   * prefix + messageId. The rule set is not activated here: SES has one active set per region, and
   * switching it is an ops decision (infra/README.md).
   */
  private createReceiptRule(props: StatelessStackProps, fn: OtaFunction): void {
    const ruleArn = receiptRuleArn(this, props.names);
    // Pre-create SES's invoke permission (the id the Lambda action looks for) to add aws:SourceArn.
    fn.function.addPermission('AllowSes', {
      principal: new ServicePrincipal('ses.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: ruleArn,
    });

    // The bucket policy for SES lives with the bucket (stateful stack), scoped to this rule's ARN.
    // An imported reference stops the S3 action from adding a second, broader statement to it.
    const bucket = Bucket.fromBucketName(this, 'RawMailBucketRef', props.names.rawMailBucket);

    const ruleSet = new ReceiptRuleSet(this, 'ReceiptRuleSet', { receiptRuleSetName: props.names.receiptRuleSet });
    const rule = ruleSet.addRule('InboundMail', {
      receiptRuleName: props.names.receiptRule,
      recipients: props.recipients,
      scanEnabled: true,
      tlsPolicy: props.requireTls ? TlsPolicy.REQUIRE : TlsPolicy.OPTIONAL,
      actions: [
        new actions.S3({ bucket, objectKeyPrefix: props.config.RawMailPrefix }),
        new actions.Lambda({ function: fn.function, invocationType: actions.LambdaInvocationType.EVENT }),
      ],
    });
    Validations.of(rule).acknowledge({
      id: '@aws-cdk/s3:AddBucketPermissions',
      reason: 'The stateful stack grants SES s3:PutObject under RawMailPrefix, limited to this account and this rule ARN.',
    });
  }
}

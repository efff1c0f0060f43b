/**
 * Everything that can be replaced by a redeploy: the four functions, the HTTP API, the SES receipt
 * rule, the bus with its rules, its schema registry and the schedules, failure queues, alarms and
 * the dashboard. Data
 * lives in the stateful stack: the table comes in as a prop, the raw-mail bucket by its fixed name
 * (infra/names.ts).
 */
import { Aws, CfnOutput, Duration, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { RELAY_TASK } from '../functions/helpdesk-events/handler.js';
import { FILE_PREFIXES } from '../shared/domain/files.js';
import { ENV } from '../shared/env.js';
import { helpdeskEventRules } from '../shared/events/helpdesk.js';
import type { OtaContext } from './context.js';
import { FUNCTIONS, type FunctionKey } from './functions.js';
import { accessOf, grantsFor, type AccessResources, type FilePrefix } from './grants.js';
import { Monitoring, outcomeMetric } from './monitoring.js';
import { objectsArn, receiptRuleArn, type OtaNames } from './names.js';
import { nagResource } from './nag.js';
import { OtaFunction } from './ota-function.js';
import { PortalApi } from './portal-api.js';
import { SchemaRegistry } from './schema-registry.js';

export interface StatelessStackProps extends StackProps {
  readonly names: OtaNames;
  readonly context: OtaContext;
  readonly table: ITable;
  /** The sign-in codes' key (stateful stack): its ARN reaches the functions that mint or check codes. */
  readonly codeKey: ISecret;
}

/** How often the outbox relay publishes events whose first publishing failed (the local stack: every minute). */
export const RELAY_INTERVAL = Duration.minutes(5);

export class StatelessStack extends Stack {
  readonly functions: Record<FunctionKey, OtaFunction>;
  /** Where each asynchronous function's events land after the last retry. */
  readonly failureQueues: Partial<Record<FunctionKey, Queue>> = {};
  /** The project's bus: helpdesk events in, our events (TicketCreated, CustomerReplied, TicketReopened) out. */
  readonly bus: EventBus;
  readonly portal: PortalApi;
  readonly monitoring: Monitoring;
  /** JSON Schema of every event on the bus, for integrators' code bindings. */
  readonly schemaRegistry: SchemaRegistry;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { context, names } = props;
    this.bus = new EventBus(this, 'Bus', { eventBusName: names.eventBus });
    this.schemaRegistry = new SchemaRegistry(this, 'SchemaRegistry', {
      registryName: names.schemaRegistry,
      busName: names.eventBus,
      sources: { own: context.config.EventSource, helpdesk: context.config.HelpdeskEventSource },
    });
    this.monitoring = new Monitoring(this, 'Monitoring', { dashboardName: names.dashboard, alarmEmails: context.alarmEmails });

    const resources: AccessResources = {
      table: props.table,
      rawMail: { bucketName: names.rawMailBucket, prefix: context.config.RawMailPrefix },
      supportAddress: context.config.SupportAddress,
      busArn: this.bus.eventBusArn,
      codeKeySecretArn: props.codeKey.secretArn,
    };
    const environment = {
      [ENV.tableName]: props.table.tableName,
      [ENV.rawMailBucket]: names.rawMailBucket,
      [ENV.eventBusName]: this.bus.eventBusName,
      [ENV.configJson]: context.configJson,
      // The bucket's lifecycle expires files with the raw mail: the portal shows older ones as gone.
      [ENV.fileRetentionDays]: String(context.rawMailRetentionDays),
      [ENV.codeKeySecret]: props.codeKey.secretArn,
    };
    const fn = (key: FunctionKey, extra: { async?: true; reservedConcurrency?: number } = {}) => {
      const spec = FUNCTIONS[key];
      const failures = extra.async ? this.failureQueue(key, `${spec.id}Failures`) : undefined;
      const made = new OtaFunction(this, spec.id, {
        entry: spec.entry,
        serviceName: spec.serviceName,
        description: spec.description,
        memorySize: spec.memorySize,
        timeout: spec.timeout,
        environment,
        grants: grantsFor(this, spec.adapters, resources),
        logRetention: context.logRetentionDays as RetentionDays,
        tracing: context.tracing,
        sourceMaps: context.sourceMaps,
        reservedConcurrency: extra.reservedConcurrency,
        // Every asynchronous trigger here may deliver twice; each handler is idempotent, so retrying is safe.
        ...(failures ? { async: { retryAttempts: 2, onFailure: new SqsDestination(failures) } } : {}),
      });
      new CfnOutput(this, `${spec.id}FunctionName`, { value: made.function.functionName, description: `${spec.serviceName} function (ops CLI)` });
      // Generated names (a fixed one would collide with the retained group after a destroy): ops read them here.
      new CfnOutput(this, `${spec.id}LogGroupName`, { value: made.logGroup.logGroupName, description: `${spec.serviceName} logs (JSON, Powertools)` });
      this.monitoring.alarm(`${spec.id}Errors`, { description: `${spec.serviceName}: invocations failed`, metric: made.function.metricErrors({ period: Duration.minutes(5) }) });
      this.monitoring.alarm(`${spec.id}Throttles`, { description: `${spec.serviceName}: invocations throttled`, metric: made.function.metricThrottles({ period: Duration.minutes(5) }) });
      return made;
    };

    this.functions = {
      inboundMail: fn('inboundMail', { async: true }),
      http: fn('http'),
      helpdeskEvents: fn('helpdeskEvents', { async: true }),
      // One sweep at a time (docs/operations.md, 'The sweep'): a second scheduled run waits for the next day instead of overlapping.
      sweep: fn('sweep', { async: true, reservedConcurrency: 1 }),
    };
    this.acknowledgeRawMailRead(this.functions.inboundMail, resources);
    for (const key of Object.keys(this.functions) as FunctionKey[]) this.acknowledgeFileAccess(key, resources);
    Validations.of(this.functions.http.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously by API Gateway: a failed request is answered with an error page and counted (HttpFailed, 5xx ' +
        'alarm); there is no event left over to keep in a dead-letter queue.',
    });
    this.createReceiptRule(props, this.functions.inboundMail);
    this.createEventRouting(props);
    this.portal = this.createPortal(context);
    this.createOutcomeAlarms();
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName, description: 'Helpdesk events in, our events out' });
    new CfnOutput(this, 'SchemaRegistryName', {
      value: this.schemaRegistry.registry.attrRegistryName,
      description: 'JSON Schema of every event on the bus (code bindings: EventBridge console, Schemas)',
    });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: names.receiptRuleSet,
      description: names.ownReceiptRuleSet
        ? 'Our own rule set: activate it once (aws ses set-active-receipt-rule-set), unless another set is active'
        : 'The existing rule set (ota:receiptRuleSet) our receipt rule was added to',
    });
    new CfnOutput(this, 'ReceiptRuleName', { value: names.receiptRule, description: 'Our receipt rule; the bucket policy and the Lambda permission name its ARN' });
  }

  private acknowledgeRawMailRead(fn: OtaFunction, resources: AccessResources): void {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[${nagResource(this, objectsArn(resources.rawMail.bucketName, resources.rawMail.prefix))}]`,
      reason:
        's3:GetObject is limited to the RawMailPrefix of the raw-mail bucket. Object keys are SES message ids, ' +
        'unknown until a mail arrives, so a key-level ARN cannot be written in advance.',
    });
  }

  /** The file prefixes a function reads or writes (infra/grants.ts): keys are made per ticket and article, so a prefix is the narrowest ARN. */
  private acknowledgeFileAccess(key: FunctionKey, resources: AccessResources): void {
    for (const prefix of Object.keys(accessOf(FUNCTIONS[key].adapters).files) as FilePrefix[]) {
      Validations.of(this.functions[key].role).acknowledge({
        id: `AwsSolutions-IAM5[${nagResource(this, objectsArn(resources.rawMail.bucketName, FILE_PREFIXES[prefix]))}]`,
        reason:
          `Objects of a ticket's files under ${FILE_PREFIXES[prefix]} of the raw-mail bucket (shared/domain/files.ts): their keys ` +
          'are made per ticket and article when a file arrives, so no key-level ARN can be written in advance.',
      });
    }
  }

  /** Where an event lands after the last retry: encrypted, kept 14 days for inspection and redrive, alarmed. */
  private failureQueue(key: FunctionKey, id: string): Queue {
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
    this.monitoring.alarm(`${id}Depth`, {
      description: `Events failed after all retries and wait in ${id} (infra/README.md, 'Redriving failures')`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    });
    new CfnOutput(this, `${id}QueueUrl`, { value: queue.queueUrl, description: `Failed ${FUNCTIONS[key].serviceName} events, for redrive` });
    this.failureQueues[key] = queue;
    return queue;
  }

  /**
   * One rule: store the raw MIME in S3, then invoke the function with the S3 location implied by
   * prefix + messageId. SES has one active rule set per region, so the rule either goes into an
   * existing set (ota:receiptRuleSet, usually the active one, beside other environments' rules) or
   * into our own set, which is left for ops to activate: switching it here would silently turn off
   * whatever set was active (infra/README.md, "Receiving mail").
   */
  private createReceiptRule(props: StatelessStackProps, fn: OtaFunction): void {
    const { names, context } = props;
    const ruleArn = receiptRuleArn(this, names);
    // Pre-create SES's invoke permission (the id the Lambda action looks for) to add aws:SourceArn.
    fn.function.addPermission('AllowSes', {
      principal: new ServicePrincipal('ses.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: ruleArn,
    });

    // The bucket policy for SES lives with the bucket (stateful stack), scoped to this rule's ARN.
    // An imported reference stops the S3 action from adding a second, broader statement to it.
    const bucket = Bucket.fromBucketName(this, 'RawMailBucketRef', names.rawMailBucket);

    const ruleSet = names.ownReceiptRuleSet
      ? new ReceiptRuleSet(this, 'ReceiptRuleSet', { receiptRuleSetName: names.receiptRuleSet })
      : ReceiptRuleSet.fromReceiptRuleSetName(this, 'ReceiptRuleSet', names.receiptRuleSet);
    // In an existing set without `after`, SES puts the rule first; it acts only on our recipients.
    const rule = ruleSet.addRule('InboundMail', {
      receiptRuleName: names.receiptRule,
      recipients: context.recipients,
      scanEnabled: true,
      tlsPolicy: context.requireTls ? TlsPolicy.REQUIRE : TlsPolicy.OPTIONAL,
      actions: [
        new actions.S3({ bucket, objectKeyPrefix: context.config.RawMailPrefix }),
        new actions.Lambda({ function: fn.function, invocationType: actions.LambdaInvocationType.EVENT }),
      ],
    });
    Validations.of(rule).acknowledge({
      id: '@aws-cdk/s3:AddBucketPermissions',
      reason: 'The stateful stack grants SES s3:PutObject under RawMailPrefix, limited to this account and this rule ARN.',
    });
  }

  /** Helpdesk events from the bus, the outbox relay and the sweep on their schedules. */
  private createEventRouting(props: StatelessStackProps): void {
    const { config } = props.context;
    const events = this.functions.helpdeskEvents.function;
    const eventsFailures = this.failureQueues.helpdeskEvents!;
    // Undeliverable events (the function throttled for a day) land beside its failed invocations.
    const target = () => new LambdaFunction(events, { deadLetterQueue: eventsFailures, retryAttempts: 185, maxEventAge: Duration.hours(24) });
    // The same rules the local stack's bus has (shared/events/helpdesk.ts): the helpdesk's source (the
    // config refuses it equal to ours, so our outbound events never loop back in), and of our own
    // events only the portal's self-service requests.
    const [helpdesk, selfService] = helpdeskEventRules(config);
    const rules = [
      { id: 'HelpdeskEventsRule', rule: helpdesk, description: 'Helpdesk events (shared/events/helpdesk.ts) into the helpdesk-events function' },
      { id: 'SelfServiceRequestsRule', rule: selfService, description: 'Self-service link requests the portal hands to the helpdesk-events function' },
    ];
    for (const { id, rule, description } of rules) {
      if (!rule) throw new Error(`No bus rule for ${id}`);
      new Rule(this, id, { eventBus: this.bus, description, eventPattern: { source: rule.source, ...(rule.detailType ? { detailType: rule.detailType } : {}) }, targets: [target()] });
    }

    // One role for both schedules, ours to acknowledge: the grant names each function and its versions.
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'EventBridge Scheduler: invokes the outbox relay and the sweep',
    });
    for (const target of [events, this.functions.sweep.function]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${nagResource(this, `${target.functionArn}:*`)}]`,
        reason:
          `lambda:InvokeFunction on ${target.node.scope?.node.id} and its versions (the ":*" CDK's grantInvoke adds), this one ` +
          'function only; Scheduler invokes the unqualified ARN.',
      });
    }

    new Schedule(this, 'OutboxRelaySchedule', {
      description: 'Publishes outbox events whose first publishing failed',
      schedule: ScheduleExpression.rate(RELAY_INTERVAL),
      // Late is harmless; a run that cannot start before the next one is dropped.
      target: new LambdaInvoke(events, { role, input: ScheduleTargetInput.fromObject({ task: RELAY_TASK }), retryAttempts: 0, maxEventAge: RELAY_INTERVAL, deadLetterQueue: eventsFailures }),
    });

    new Schedule(this, 'SweepSchedule', {
      description: 'Deletes tokens of tickets closed longer than AccessDaysAfterClose (SweepSchedule, UTC)',
      schedule: ScheduleExpression.expression(config.SweepSchedule, TimeZone.ETC_UTC),
      target: new LambdaInvoke(this.functions.sweep.function, {
        role,
        input: ScheduleTargetInput.fromObject({ trigger: 'SweepSchedule' }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.failureQueues.sweep,
      }),
    });
  }

  private createPortal(context: OtaContext): PortalApi {
    const portal = new PortalApi(this, 'Portal', {
      handler: this.functions.http.function,
      rateLimit: context.api.rateLimit,
      burstLimit: context.api.burstLimit,
      logRetention: context.logRetentionDays as RetentionDays,
      customDomain: context.customDomain,
    });
    new CfnOutput(this, 'PortalAccessLogGroupName', { value: portal.accessLogs.logGroupName, description: 'HTTP API access logs (no path, query, cookie or IP)' });
    new CfnOutput(this, 'PortalEndpoint', { value: portal.url, description: 'Where the portal answers (PortalUrl must point here)' });
    if (portal.domain && context.customDomain) {
      // A literal: CloudFormation takes only a string as an output's description, never a reference.
      new CfnOutput(this, 'PortalDomainTarget', {
        value: portal.domain.regionalDomainName,
        description: `CNAME (or alias) target for ${context.customDomain.domainName}`,
      });
    }
    // 5xx answers per request, in percent; quiet minutes count as 0, not as missing data.
    const { api } = portal;
    this.monitoring.alarm('PortalServerErrorRate', {
      description: 'HTTP API: more than 5 % of requests answered 5xx (RefreshFailed pages are 503 too)',
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { errors: api.metricServerError({ period: Duration.minutes(5) }), requests: api.metricCount({ period: Duration.minutes(5) }) },
        period: Duration.minutes(5),
        label: '5xx %',
      }),
      threshold: 5,
      evaluationPeriods: 2,
    });
    return portal;
  }

  /** The outcomes that mean a customer was failed, as counted by the functions themselves. */
  private createOutcomeAlarms(): void {
    this.monitoring.alarm('RefreshFailedRate', {
      description: 'Customers were shown RefreshFailed: a new link could not be mailed (SES sending, identity or quota)',
      metric: outcomeMetric('LinkRefreshFailed', FUNCTIONS.http.serviceName),
      threshold: 3,
    });
    this.monitoring.alarm('InboundFailedRate', {
      description: 'Inbound mail failed and is being retried by Lambda (the failure queue alarm fires when retries run out)',
      metric: outcomeMetric('InboundFailed', FUNCTIONS.inboundMail.serviceName),
      threshold: 3,
    });
  }
}

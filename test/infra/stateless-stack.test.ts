import { describe, it, expect } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { RELAY_TASK } from '../../functions/helpdesk-events/handler.js';
import { OWN_DETAILS } from '../../shared/events/helpdesk.js';
import { ALL_METRICS, METRICS_NAMESPACE } from '../../shared/metric-names.js';
import { ROUTES, routeKey, type RouteName } from '../../shared/web/routes.js';
import { FUNCTIONS, type FunctionKey } from '../../infra/functions.js';
import { FUNCTION_NAMES } from '../../cli/target.js';
import { idOf, SKIP_BUNDLING, synthTemplates, TEST_CONFIG } from './synth.js';

// Prepare: two synths for the whole file, without bundling (nothing here reads function code):
// the defaults, and a custom context with every optional feature turned the other way.
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123';
const base = synthTemplates(SKIP_BUNDLING);
const custom = synthTemplates({
  ...SKIP_BUNDLING,
  'ota:config': { ...TEST_CONFIG, SweepSchedule: 'cron(30 2 * * ? *)', HelpdeskEventSource: 'znuny' },
  'ota:recipients': 'Help@Acme-Helpdesk.eu, acme-helpdesk.net',
  'ota:stackPrefix': 'Desk',
  'ota:requireTls': 'false',
  'ota:tracing': 'false',
  'ota:logRetentionDays': '30',
  'ota:apiRateLimit': '7',
  'ota:apiBurstLimit': '11',
  'ota:domainName': 'help.acme-helpdesk.eu',
  'ota:certificateArn': CERTIFICATE,
  'ota:alarmEmail': 'oncall@acme-helpdesk.eu',
  'ota:sourceMaps': 'true',
});
const { stateless, statelessStack: stack } = base;
const KEYS = Object.keys(FUNCTIONS) as FunctionKey[];
const ASYNC: FunctionKey[] = ['inboundMail', 'helpdeskEvents', 'sweep'];
const fnId = (key: FunctionKey, s = stack) => idOf(s.functions[key].function);
const fnProps = (key: FunctionKey, t: Template = stateless, s = stack) => t.toJSON().Resources[fnId(key, s)].Properties;
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const statements = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actionsOf = (s: Statement) => [s.Action].flat();

describe('source maps at run time (ota:sourceMaps)', () => {
  it('are off by default: no NODE_OPTIONS, so no cold start parses the maps', () => {
    for (const key of KEYS) expect(fnProps(key).Environment.Variables.NODE_OPTIONS).toBeUndefined();
  });

  it('are on for every function with ota:sourceMaps true', () => {
    for (const key of KEYS) expect(fnProps(key, custom.stateless, custom.statelessStack).Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('tell the HTTP function how long the bucket keeps files (ota:rawMailRetentionDays)', () => {
    expect(fnProps('http').Environment.Variables.OTA_FILE_RETENTION_DAYS).toBe('365');
  });
});

describe('stateless stack: every function', () => {
  it.each(KEYS)('%s runs nodejs24.x on arm64, traced, with JSON logs into its own log group', (key) => {
    const props = fnProps(key);
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: idOf(stack.functions[key].logGroup) } },
    });
    stateless.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it.each(KEYS)('%s has the memory and timeout infra/functions.ts gives it', (key) => {
    expect(fnProps(key)).toMatchObject({ MemorySize: FUNCTIONS[key].memorySize, Timeout: FUNCTIONS[key].timeout.toSeconds() });
  });

  it.each(KEYS)('%s reports as its own service, into the one namespace, and gets table, bucket, bus and config', (key) => {
    expect(fnProps(key).Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: FUNCTIONS[key].serviceName,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      OTA_TABLE_NAME: expect.anything(),
      OTA_RAW_MAIL_BUCKET: expect.anything(),
      OTA_EVENT_BUS_NAME: { Ref: idOf(stack.bus) },
      OTA_CONFIG_JSON: JSON.stringify(TEST_CONFIG),
    });
  });

  it('reserves concurrency 1 for the sweep only (one run at a time)', () => {
    expect(KEYS.map((key) => [key, fnProps(key).ReservedConcurrentExecutions])).toEqual(KEYS.map((key) => [key, key === 'sweep' ? 1 : undefined]));
  });

  it('turns tracing off and shortens log retention by context', () => {
    for (const key of KEYS) expect([key, fnProps(key, custom.stateless, custom.statelessStack).TracingConfig]).toEqual([key, undefined]);
    expect(Object.values(custom.stateless.findResources('AWS::Logs::LogGroup')).map((l) => l.Properties.RetentionInDays)).toEqual(Array(5).fill(30));
    expect(statements(custom.stateless).flatMap(actionsOf).filter((a) => a.startsWith('xray:'))).toEqual([]);
  });
});

describe('stateless stack: failures of asynchronous functions', () => {
  it.each(ASYNC)('%s retries twice, then sends the event to its own encrypted queue kept 14 days', (key) => {
    const queueId = idOf(stack.failureQueues[key]!);
    stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId(key) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
    });
    expect(stateless.toJSON().Resources[queueId].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    stateless.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets EventBridge drop undeliverable events only from our rules', () => {
    for (const rule of Object.keys(stateless.findResources('AWS::Events::Rule'))) {
      stateless.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: idOf(stack.failureQueues.helpdeskEvents!) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': arnOf(rule) } } }),
          ]),
        },
      });
    }
  });

  it('gives the synchronous HTTP function no failure queue (API Gateway answers the error)', () => {
    expect(stack.failureQueues.http).toBeUndefined();
    expect(Object.keys(stateless.findResources('AWS::SQS::Queue'))).toHaveLength(3);
  });
});

describe('stateless stack: SES receipt rule', () => {
  it('scans, requires TLS, stores the raw mail in S3 first, then invokes inbound-mail asynchronously', () => {
    stateless.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Name: 'Ota-inbound-mail',
        Enabled: true,
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Recipients: [TEST_CONFIG.SupportAddress],
        Actions: [
          { S3Action: Match.objectEquals({ BucketName: Match.anyValue(), ObjectKeyPrefix: 'mail/' }) },
          { LambdaAction: { FunctionArn: arnOf(fnId('inboundMail')), InvocationType: 'Event' } },
        ],
      }),
    });
    stateless.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Ota-inbound' });
  });

  it('lets only SES of this account, for this rule, invoke inbound-mail', () => {
    const ses = Object.values(stateless.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'ses.amazonaws.com' } }));
    expect(ses.map((p) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: arnOf(fnId('inboundMail')),
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: expect.anything(),
      },
    ]);
    expect(JSON.stringify(ses[0]!.Properties.SourceArn)).toContain(':receipt-rule-set/Ota-inbound:receipt-rule/Ota-inbound-mail');
  });

  it('takes recipients, prefix and TLS policy from context', () => {
    custom.stateless.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({ Name: 'Desk-inbound-mail', Recipients: ['help@acme-helpdesk.eu', 'acme-helpdesk.net'], TlsPolicy: 'Optional' }),
    });
  });
});

describe('stateless stack: bus and schedules', () => {
  it('routes helpdesk events (every detail-type of its source: an unknown one reaches the failure queue) into helpdesk-events, with a dead-letter queue', () => {
    stateless.hasResourceProperties('AWS::Events::EventBus', { Name: 'Ota-events' });
    stateless.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: idOf(stack.bus) },
      EventPattern: { source: ['helpdesk'] },
      Targets: [Match.objectLike({ Arn: arnOf(fnId('helpdeskEvents')), DeadLetterConfig: { Arn: arnOf(idOf(stack.failureQueues.helpdeskEvents!)) } })],
    });
    custom.stateless.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['znuny'] }) });
  });

  it('routes of our own events only the self-service requests the portal hands over, never TicketCreated & co.', () => {
    const patterns = Object.values(stateless.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern as { source: string[]; 'detail-type'?: string[] });
    expect(patterns).toEqual([{ source: ['helpdesk'] }, { source: ['one-time-auth-links'], 'detail-type': Object.keys(OWN_DETAILS) }]);
    expect(patterns.flatMap((p) => p['detail-type'] ?? [])).not.toEqual(expect.arrayContaining(['TicketCreated']));
    expect(patterns.flatMap((p) => p['detail-type'] ?? [])).not.toEqual(expect.arrayContaining(['CustomerReplied']));
  });

  it('runs the sweep on SweepSchedule in UTC', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 4 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: arnOf(fnId('sweep')), DeadLetterConfig: { Arn: arnOf(idOf(stack.failureQueues.sweep!)) } }),
    });
    custom.stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 2 * * ? *)',
      Target: Match.objectLike({ Arn: arnOf(fnId('sweep', custom.statelessStack)) }),
    });
  });

  it('runs the outbox relay every 5 minutes through the helpdesk-events function', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Arn: arnOf(fnId('helpdeskEvents')), Input: JSON.stringify({ task: RELAY_TASK }) }),
    });
  });
});

describe('stateless stack: HTTP API', () => {
  const routeKeys = (t: Template) => Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey as string).sort();

  it('has exactly the routes of shared/web/routes.ts, each into the HTTP function (anything else is 404)', () => {
    expect(routeKeys(stateless)).toEqual((Object.keys(ROUTES) as RouteName[]).map(routeKey).sort());
    expect(routeKeys(stateless)).not.toContain('$default');
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(fnId('http')),
      PayloadFormatVersion: '2.0',
    });
  });

  it('throttles the stage with the rate and burst from context', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 50 } });
    custom.stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 11 } });
  });

  it('logs JSON with route key, status, latency and request id, never the path, query string, cookies or client IP', () => {
    const stage = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
    expect(stage.AccessLogSettings.DestinationArn).toEqual(arnOf(idOf(stack.portal.accessLogs)));
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', responseLatency: '$context.responseLatency' });
    const variables = Object.values(format).join(' ');
    for (const leak of ['$context.path', '$context.rawPath', 'querystring', 'Cookie', 'cookie', '$context.identity', '$input', '$request']) expect(variables).not.toContain(leak);
  });

  it('serves a custom domain with its certificate by context, and then only there', () => {
    expect(stateless.findResources('AWS::ApiGatewayV2::DomainName')).toEqual({});
    custom.stateless.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'help.acme-helpdesk.eu',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE, SecurityPolicy: 'TLS_1_2' })],
    });
    custom.stateless.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { Stage: Match.anyValue(), DomainName: { Ref: idOf(custom.statelessStack.portal.domain!) } });
    custom.stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
  });
});

describe('stateless stack: alarms and dashboard', () => {
  const alarms = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const onMetric = (t: Template, metricName: string, dimension: unknown) =>
    alarms(t).filter((a) => a.MetricName === metricName && JSON.stringify(a.Dimensions) === JSON.stringify(dimension));

  it.each(KEYS)('%s: an alarm on its errors and one on its throttles', (key) => {
    for (const metric of ['Errors', 'Throttles']) {
      expect(onMetric(stateless, metric, [{ Name: 'FunctionName', Value: { Ref: fnId(key) } }])).toEqual([
        expect.objectContaining({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
      ]);
    }
  });

  it.each(ASYNC)('%s: an alarm on its failure queue depth', (key) => {
    const queue = idOf(stack.failureQueues[key]!);
    expect(onMetric(stateless, 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }])).toHaveLength(1);
  });

  it('alarms on the HTTP API 5xx rate (a percentage of requests)', () => {
    const rate = alarms(stateless).find((a) => (a.Metrics as { Expression?: string }[] | undefined)?.some((m) => m.Expression?.includes('100 * errors / requests')));
    expect(rate).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const used = (rate!.Metrics as { MetricStat?: { Metric: { MetricName: string; Namespace: string } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    expect(used.map((m) => `${m.Namespace} ${m.MetricName}`).sort()).toEqual(['AWS/ApiGateway 5xx', 'AWS/ApiGateway Count']);
  });

  it.each([
    ['LinkRefreshFailed', 'http'],
    ['InboundFailed', 'inbound-mail'],
  ])('alarms on the rate of %s as the %s function counts it', (metricName, service) => {
    expect(onMetric(stateless, metricName, [{ Name: 'service', Value: service }])).toEqual([expect.objectContaining({ Namespace: METRICS_NAMESPACE, Statistic: 'Sum', Period: 300 })]);
  });

  it('mails alarms only when ota:alarmEmail names someone', () => {
    expect(stateless.findResources('AWS::SNS::Topic')).toEqual({});
    expect(alarms(stateless).filter((a) => a.AlarmActions)).toEqual([]);
    const topicId = idOf(custom.statelessStack.monitoring.topic!);
    custom.stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@acme-helpdesk.eu', TopicArn: { Ref: topicId } });
    expect(alarms(custom.stateless).filter((a) => JSON.stringify(a.AlarmActions) !== JSON.stringify([{ Ref: topicId }]))).toEqual([]);
  });

  it('draws one widget per outcome metric', () => {
    const body = JSON.stringify(Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);
    for (const name of ALL_METRICS) expect([name, body.includes(`MetricName=\\\\\\"${name}\\\\\\"`)]).toEqual([name, true]);
    expect(body.match(/MetricName=/g)).toHaveLength(new Set(ALL_METRICS).size);
  });
});

describe('stateless stack: outputs', () => {
  it('names each function the ops CLI invokes under the output it reads (cli/target.ts)', () => {
    for (const { output } of Object.values(FUNCTION_NAMES)) {
      const key = KEYS.find((k) => `${FUNCTIONS[k].id}FunctionName` === output);
      expect([output, key && stateless.findOutputs(output)[output]?.Value]).toEqual([output, { Ref: fnId(key!) }]);
    }
  });

  it('names the bus, its schema registry, the rule set and rule, the portal endpoint and every failure queue', () => {
    const outputs = Object.keys(stateless.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining(['EventBusName', 'SchemaRegistryName', 'ReceiptRuleSetName', 'ReceiptRuleName', 'PortalEndpoint', ...ASYNC.map((k) => `${FUNCTIONS[k].id}FailuresQueueUrl`)]),
    );
    expect(custom.stateless.findOutputs('PortalDomainTarget').PortalDomainTarget).toMatchObject({ Description: 'CNAME (or alias) target for help.acme-helpdesk.eu' });
  });

  it('names the log group of every function and the API access logs, whose names CDK generates', () => {
    for (const key of KEYS) {
      const output = `${FUNCTIONS[key].id}LogGroupName`;
      expect([output, stateless.findOutputs(output)[output]?.Value]).toEqual([output, { Ref: idOf(stack.functions[key].logGroup) }]);
    }
    expect(stateless.findOutputs('PortalAccessLogGroupName').PortalAccessLogGroupName?.Value).toEqual({ Ref: idOf(stack.portal.accessLogs) });
  });

  it('describes every output with a literal string: CloudFormation refuses a reference there', () => {
    // Outputs CDK publishes for the other stack's references carry no description at all.
    const descriptions = [base.stateful, stateless, custom.stateful, custom.stateless].flatMap((t) => Object.entries(t.findOutputs('*')).map(([id, o]) => [id, typeof o.Description]));
    expect(descriptions.filter(([, type]) => type !== 'string' && type !== 'undefined')).toEqual([]);
    expect(descriptions.map(([id]) => id)).toContain('PortalDomainTarget');
  });
});

describe('stateless stack: least privilege', () => {
  it('uses "*" only for the X-Ray actions, which have no resource-level permissions', () => {
    const wildcard = statements(stateless).filter((s) => s.Resource === '*');
    expect([...new Set(wildcard.flatMap(actionsOf))].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    expect(statements(stateless).flatMap(actionsOf).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('each function role names its resources: the table and index names, the raw-mail prefix, the SES identity, the bus', () => {
    const text = JSON.stringify(statements(stateless));
    expect(text).not.toContain('/index/*');
    expect(text).toContain('/mail/*"');
    expect(text).toContain(':identity/help@support.acme-helpdesk.eu"');
    expect(text).toContain(':identity/support.acme-helpdesk.eu"');
  });
});

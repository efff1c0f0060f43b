/**
 * What ops watch: alarms (optionally mailed through one SNS topic) and a dashboard with one widget
 * per outcome metric. Metric names come from the typed lists in shared/metric-names.ts, so a new
 * outcome gets its widget without anyone remembering to add it.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import * as metricNames from '../shared/metric-names.js';
import { METRICS_NAMESPACE, type MetricName } from '../shared/metric-names.js';

export interface MonitoringProps {
  readonly dashboardName: string;
  /** Addresses that get every alarm by mail; no topic is created without one. */
  readonly alarmEmails: readonly string[];
}

export interface AlarmOptions {
  readonly description: string;
  readonly metric: IMetric;
  /** The alarm fires at or above this value. @default 1 */
  readonly threshold?: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
}

/** The dashboard's sections: one per use-case list in shared/metric-names.ts. */
const SECTIONS: [title: string, names: readonly MetricName[]][] = [
  ['Inbound mail', metricNames.INBOUND_METRICS],
  ['Links mailed', metricNames.LINK_METRICS],
  ['Redeeming links', metricNames.REDEEM_METRICS],
  ['Sign-in codes', metricNames.CODE_METRICS],
  ['Portal', metricNames.PORTAL_METRICS],
  ['Self-service', metricNames.SELF_SERVICE_METRICS],
  ['Helpdesk events', metricNames.HELPDESK_METRICS],
  ['Outbox', metricNames.OUTBOX_METRICS],
  ['Sweep', metricNames.SWEEP_METRICS],
];

export const ALARM_PERIOD = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly topic?: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (props.alarmEmails.length > 0) {
      this.topic = new Topic(this, 'AlarmTopic', { displayName: 'One-time auth links alarms', enforceSSL: true });
      for (const email of props.alarmEmails) {
        Validations.of(this.topic.addSubscription(new EmailSubscription(email))).acknowledge({
          id: 'Serverless-SNSRedrivePolicy',
          reason:
            'An email subscription: SNS retries delivery itself, and a notice it could not deliver would sit unread in a queue. ' +
            'The alarm state itself stays in CloudWatch and on the dashboard.',
        });
      }
      Validations.of(this.topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'The topic carries only CloudWatch alarm notices (alarm name, metric, threshold), no customer data. CloudWatch cannot ' +
          'publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would cost more than the topic.',
      });
    }
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(...outcomeWidgets());
  }

  /** An alarm on the metric (Sum over 5 minutes unless the metric says otherwise), mailed when there is a topic. */
  alarm(id: string, options: AlarmOptions): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold ?? 1,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened: no errors, no traffic.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.topic) {
      const action = new SnsAction(this.topic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
    return alarm;
  }
}

/** An outcome metric as one function emits it (Powertools: namespace, metric name, `service` dimension). */
export function outcomeMetric(name: MetricName, service: string): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service }, statistic: 'Sum', period: ALARM_PERIOD });
}

/**
 * One graph per metric name, summed over every service that emits it (a link may be mailed by
 * inbound mail, the portal or an agent reply); SEARCH finds the services, so none is hard-coded.
 */
function outcomeWidgets(): IWidget[] {
  return SECTIONS.flatMap(([title, names]) => [
    new TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }),
    ...names.map(
      (name) =>
        new GraphWidget({
          title: name,
          width: 6,
          height: 4,
          left: [
            new MathExpression({
              expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service} MetricName="${name}"', 'Sum', 300))`,
              label: name,
              period: ALARM_PERIOD,
            }),
          ],
        }),
    ),
  ]);
}

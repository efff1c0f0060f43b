/**
 * The HTTP API in front of the HTTP function: only the routes of shared/web/routes.ts (anything
 * else is API Gateway's own 404 and never reaches the function), stage throttling, JSON access
 * logs, and optionally the portal's custom domain.
 *
 * Access logs record what ops need (request id, route key, status, latency) and nothing that
 * identifies a link or a person: the raw path holds the token of a link (`/link/{ticket}/{token}`),
 * so `$context.path`, the query string, headers, cookies and the source IP are never logged; the
 * route key names the pattern only.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { DomainName, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../shared/web/routes.js';

/** Every field of an access log line; `$context` variables that hold a path, query, cookie or IP are absent on purpose. */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  routeKey: '$context.routeKey',
  method: '$context.httpMethod',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  responseLength: '$context.responseLength',
  requestTimeEpoch: '$context.requestTimeEpoch',
  protocol: '$context.protocol',
  error: '$context.error.message',
} as const;

export interface PortalApiProps {
  readonly handler: IFunction;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: RetentionDays;
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

export class PortalApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: PortalApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'One-time authentication links: link landing and redeem, customer portal',
      createDefaultStage: false,
      // With a custom domain, links point there only (PortalUrl); the execute-api URL would be a second way in.
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });
    const integration = new HttpLambdaIntegration('Portal', props.handler);
    // ANY, whatever methods a route takes: the function answers a wrong one with its own 405 page (functions/http/handler.ts).
    const routes = Object.values(ROUTES).flatMap(({ path }) => this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration }));

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    if (props.customDomain) {
      this.domain = new DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
    }
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
      ...(this.domain ? { domainMapping: { domainName: this.domain } } : {}),
    });
    for (const route of routes) {
      Validations.of(route).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Customers have no account: a route is authorised by what it carries (the single-use token of a link, or the session ' +
            'cookie it starts), checked by the function. An API Gateway authorizer has nothing to check before that.',
        },
        {
          id: 'AwsSolutions-COG4',
          reason: 'No Cognito user pool: customers sign in with emailed single-use links (the product), not with a user pool.',
        },
      );
    }
  }

  /** The portal's base URL as deployed: the custom domain, or the execute-api URL of the stage. */
  get url(): string {
    return this.domain ? `https://${this.domain.name}` : this.api.apiEndpoint;
  }
}

/**
 * "Our function": a Lambda function with the house defaults, so each new function is one call
 * with its entry, environment and grants. Defaults: nodejs24.x on arm64, an ESM bundle (minified,
 * names kept, its source maps deployed beside it and read at run time only with ota:sourceMaps), its
 * own log group with retention, X-Ray active unless turned off, JSON logs, and its own role that holds
 * only the grants passed in plus log writing.
 *
 * The bundle is made by infra/bundling.ts, the same code `npm run bench` measures. Not
 * NodejsFunction: it runs the esbuild CLI, which takes no plugins, and the bundle needs one.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal, type PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
  type IDestination,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../shared/metric-names.js';
import { BUNDLE_FILE, REPO_ROOT } from './bundling.js';

export interface OtaFunctionProps {
  /** Entry file relative to the repository root, exporting `handler` (e.g. `functions/inbound-mail.ts`). */
  readonly entry: string;
  /** Powertools service name: the `service` key of every log line and metric. */
  readonly serviceName: string;
  readonly description: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** Variables beside the house ones (Powertools, source maps). */
  readonly environment?: Record<string, string>;
  /** NODE_OPTIONS=--enable-source-maps (ota:sourceMaps): stack traces point into the sources, at a cold-start cost. @default false */
  readonly sourceMaps?: boolean;
  /** Least-privilege statements for the function's own role (see grants.ts). */
  readonly grants?: PolicyStatement[];
  /** @default three months */
  readonly logRetention?: RetentionDays;
  /** X-Ray active tracing (the function's segment plus a subsegment per AWS SDK call). @default true */
  readonly tracing?: boolean;
  /** Reserved concurrency: at most this many instances at once. @default unreserved */
  readonly reservedConcurrency?: number;
  /** For asynchronous triggers (SES, EventBridge): retries, then the failed event goes to onFailure. */
  readonly async?: { readonly retryAttempts: number; readonly onFailure: IDestination };
}

export class OtaFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: OtaFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      // Logs are evidence when a customer asks what happened to their mail; keep them if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Our own role instead of the default one with AWSLambdaBasicExecutionRole (log writing to every log group).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.serviceName}: only the grants its use case needs`,
    });
    this.logGroup.grantWrite(this.role);
    for (const statement of props.grants ?? []) this.role.addToPrincipalPolicy(statement);

    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(props.entry),
      handler: `${path.basename(BUNDLE_FILE, '.mjs')}.handler`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      retryAttempts: props.async?.retryAttempts,
      onFailure: props.async?.onFailure,
    });

    if (props.tracing === false) {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason: 'Tracing was turned off for this deployment with the context key ota:tracing=false (an ops decision, e.g. to save X-Ray cost in a test account).',
      });
    } else {
      // Tracing.ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role's default policy.
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement added by Tracing.ACTIVE uses "*": xray:PutTraceSegments and PutTelemetryRecords ' +
          'support no resource-level permissions. Every other statement names its resources (asserted in test/infra).',
      });
    }
    if (props.async) {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Failed asynchronous invocations go to an on-failure destination (EventInvokeConfig), which supersedes ' +
          'DeadLetterConfig and records the error; configuring both would deliver every failure twice.',
      });
    }
  }
}

/**
 * The function's code: its entry bundled on this machine (no Docker; synth works offline). The
 * asset's hash is the bundle's, so an unchanged bundle deploys nothing. CDK skips this for stacks
 * left out of `aws:cdk:bundling-stacks` (tests about other parts) and stages a placeholder instead.
 */
function bundledCode(entry: string): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:24'),
      // CDK names its bundling directory after these options (not after tryBundle's code), so the
      // entry must be among them: without it, every function would get the first one's bundle.
      environment: { OTA_BUNDLE_ENTRY: entry },
      local: {
        tryBundle(outputDir: string): boolean {
          const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'infra/bundle-function.ts'), entry, outputDir], {
            cwd: REPO_ROOT,
            stdio: ['ignore', 'inherit', 'pipe'],
            encoding: 'utf8',
          });
          // esbuild's warnings go on to the console; a failure carries its message.
          if (run.status === 0) process.stderr.write(run.stderr ?? '');
          else throw new Error(`bundling ${entry} failed (${run.error?.message ?? `exit ${run.status}`}):\n${(run.stderr ?? '').trim()}`);
          return true;
        },
      },
    },
  });
}

/**
 * Which stack the CLI talks to.
 *
 * Local (default): the stack `npm start` runs, found through the same settings it uses — DynamoDB,
 * the raw-mail bucket in s3rver, and the local Lambda Invoke API, so commands that change things
 * run the very handlers the stack runs. Its ports come from the environment where set, else from
 * the address the running stack recorded under its data directory, else the defaults.
 *
 * AWS (`--aws` or OTA_TARGET=aws): the default credential chain. Names come from flags or the
 * environment (OTA_TABLE_NAME, OTA_RAW_MAIL_BUCKET, OTA_RAW_MAIL_PREFIX, OTA_<FUNCTION>_FUNCTION);
 * whatever is not given is read once from the outputs of the deployed stacks
 * (`<prefix>Stateful`, `<prefix>Stateless`, prefix OTA_STACK_PREFIX, default Ota).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient, LOCAL_CREDENTIALS } from '../shared/adapters/aws-clients.js';
import { createS3Client } from '../shared/adapters/s3/client.js';
import { S3RawMailArchive } from '../shared/adapters/s3/raw-mail-archive.js';
import { loadConfig, parseConfig } from '../shared/config.js';
import { repositories } from '../shared/adapters/dynamodb/repositories.js';
import { ENV } from '../shared/env.js';
import type { RawMailArchive } from '../shared/ports/mail.js';
import { localFunctionEnv, localSettings, PORTS, type LocalSettings } from '../local/settings.js';
import { processAlive, readStackAddress, stackAddressPath } from '../local/stack-address.js';
import { TargetError, UsageError, type FunctionName, type InvokeResult, type Target } from './command.js';

export interface TargetFlags {
  aws?: boolean;
  table?: string;
}

export const TABLE_HINT = 'the table name is in the outputs of the stack <prefix>Stateful (OtaStateful by default)';

/** Environment variable and stack output naming each deployed function. */
export const FUNCTION_NAMES: Record<FunctionName, { env: string; output: string }> = {
  'inbound-mail': { env: 'OTA_INBOUND_FUNCTION', output: 'InboundMailFunctionName' },
  'helpdesk-events': { env: 'OTA_EVENTS_FUNCTION', output: 'HelpdeskEventsFunctionName' },
  sweep: { env: 'OTA_SWEEP_FUNCTION', output: 'SweepFunctionName' },
};

export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv): Target {
  const targetEnv = env.OTA_TARGET;
  if (targetEnv !== undefined && targetEnv !== '' && targetEnv !== 'local' && targetEnv !== 'aws') {
    throw new UsageError(`OTA_TARGET must be "local" or "aws", got "${targetEnv}"`);
  }
  const table = flags.table ?? (env[ENV.tableName] || undefined);
  if (flags.aws || targetEnv === 'aws') return awsTarget(table, env);
  let settings;
  try {
    settings = localSettings(env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const recorded = recordedPorts(settings, env);
  settings = recorded.settings;
  const localEnv = localFunctionEnv(settings);
  const config = loadConfig(env);
  const db = createDynamoDbClient(localEnv);
  const lambda = new LambdaClient({ endpoint: `http://${settings.host}:${settings.lambdaPort}`, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const s3 = lazy(() => createS3Client(localEnv));
  return {
    ...tableTarget('local', table ?? settings.tableName, `${localEnv[ENV.dynamodbEndpoint] ?? ''}${recorded.from ? ` (as recorded in ${recorded.from}; delete that file if the stack there is gone)` : ''}`, db),
    helpdeskSource: config.HelpdeskEventSource,
    archive: async () => new S3RawMailArchive(s3(), settings.rawMailBucket, config.RawMailPrefix),
    invoke: (fn, payload) => invoke(lambda, fn, payload),
    close: () => {
      db.destroy();
      lambda.destroy();
    },
  };
}

/** The ports the CLI uses: DynamoDB, S3 and the Lambda API. */
const USED_PORTS = [
  ['dynamodb', 'dynamodbPort'],
  ['s3', 's3Port'],
  ['lambda', 'lambdaPort'],
] as const;

/**
 * Ports not set in the environment come from the address the running stack recorded (a stack on
 * port 0 listens wherever the system put it). A record whose process is gone is stale: say so,
 * rather than knock on ports nobody listens on.
 */
function recordedPorts(settings: LocalSettings, env: NodeJS.ProcessEnv): { settings: LocalSettings; from?: string } {
  const unset = USED_PORTS.filter(([name]) => !env[PORTS[name].env]);
  const address = unset.length ? readStackAddress(settings.dataDir) : undefined;
  if (!address) return { settings };
  const file = stackAddressPath(settings.dataDir);
  if (!processAlive(address.pid)) {
    throw new TargetError(
      `The local stack recorded in ${file} (process ${address.pid}, started ${address.startedAt}) is not running any more — start it again with \`npm start\`, or delete that file to use the default ports.`,
    );
  }
  const fromFile = Object.fromEntries(unset.map(([name, key]) => [key, address.ports[name]]));
  return { settings: { ...settings, ...fromFile }, from: file };
}

function awsTarget(table: string | undefined, env: NodeJS.ProcessEnv): Target {
  // Endpoint overrides point at local peers; against AWS the SDK finds the endpoints itself.
  const awsEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.endsWith('_ENDPOINT')));
  const outputs = lazy(() => stackOutputs(env.OTA_STACK_PREFIX || 'Ota'));
  const named = async (envName: string, output: string, what: string) => {
    const value = env[envName] || (await outputs())[output];
    if (!value) throw new UsageError(`The AWS target needs ${what}: set ${envName}, or deploy the stacks so their output ${output} names it`);
    return value;
  };
  if (!table) throw new UsageError(`The AWS target needs the table: pass --table <name> or set ${ENV.tableName} (${TABLE_HINT})`);
  const db = createDynamoDbClient(awsEnv);
  const lambda = lazy(() => new LambdaClient({}));
  const s3 = lazy(() => createS3Client(awsEnv));
  return {
    ...tableTarget('aws', table, 'AWS', db),
    // The deployed HelpdeskEventSource: the environment, else the default of the configuration.
    helpdeskSource: env.OTA_HELPDESK_EVENT_SOURCE || parseConfig({}).HelpdeskEventSource,
    archive: async () => new S3RawMailArchive(s3(), await named(ENV.rawMailBucket, 'RawMailBucketName', 'the raw-mail bucket'), env.OTA_RAW_MAIL_PREFIX || (await outputs()).RawMailPrefix || 'inbound/'),
    invoke: async (fn, payload) => invoke(lambda(), await named(FUNCTION_NAMES[fn].env, FUNCTION_NAMES[fn].output, `the ${fn} function`), payload),
    close: () => db.destroy(),
  };
}

/** Reads need no product configuration; the defaults only set the trail's TTL, which reads ignore. */
function tableTarget(kind: Target['kind'], table: string, where: string, db: DynamoDBDocumentClient) {
  return { kind, table, where, db, repos: repositories(db, table, parseConfig({})) };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

async function stackOutputs(prefix: string): Promise<Record<string, string>> {
  const client = new CloudFormationClient({});
  try {
    const outputs: Record<string, string> = {};
    for (const stack of [`${prefix}Stateful`, `${prefix}Stateless`]) {
      const out = await client.send(new DescribeStacksCommand({ StackName: stack }));
      for (const o of out.Stacks?.[0]?.Outputs ?? []) if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
    }
    return outputs;
  } finally {
    client.destroy();
  }
}

/** RequestResponse invocation; a function error comes back as the payload Lambda's runtime wrote. */
async function invoke(client: LambdaClient, functionName: string, payload: unknown): Promise<InvokeResult> {
  const out = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  const result: unknown = text ? JSON.parse(text) : null;
  if (!out.FunctionError) return { ok: true, result };
  const error = result as { errorType?: string; errorMessage?: string };
  return { ok: false, errorType: error?.errorType ?? 'Error', errorMessage: error?.errorMessage ?? text };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const DENIED = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException', 'InvalidSignatureException', 'ExpiredToken', 'AccessDenied']);

/** Translates what the SDK throws when the target is unusable into a message a person can act on. */
export function targetProblem(e: unknown, target: Target): TargetError | undefined {
  // Adapters wrap SDK errors in our classes; the SDK's own error is the cause.
  const cause = (e as { cause?: unknown })?.cause;
  if (cause && typeof cause === 'object' && 'name' in cause) {
    const fromCause = targetProblem(cause, target);
    if (fromCause) return fromCause;
  }
  const err = e as { name?: string; code?: string; message?: string; errors?: { code?: string }[]; cause?: { code?: string } };
  // The code sits on the error, its cause or (dual-stack connect) its errors; an error from another
  // realm (e.g. a test VM) reaches us only as text, so the message is the last resort.
  const code = err.code ?? err.cause?.code ?? err.errors?.find((x) => x.code)?.code ?? /\b(E[A-Z]+)\b/.exec(err.message ?? '')?.[1];
  const local = target.kind === 'local';
  if ((code && NETWORK_CODES.has(code)) || err.name === 'TimeoutError') {
    return new TargetError(local ? `Cannot reach the local stack at ${target.where} — is \`npm start\` running?` : `Cannot reach AWS (${code ?? err.name}) — check your network and AWS_REGION.`);
  }
  if (err.name === 'ResourceNotFoundException') {
    return new TargetError(
      local
        ? `Table ${target.table} does not exist at ${target.where} — \`npm start\` creates it; unset ${ENV.tableName} unless you meant another table.`
        : `Not found in this AWS account and region: ${err.message ?? target.table} — check --table / ${ENV.tableName}, the function names and AWS_REGION / AWS_PROFILE (${TABLE_HINT}).`,
    );
  }
  if (err.name === 'CredentialsProviderError') {
    return new TargetError('No AWS credentials found — set AWS_PROFILE (and run `aws sso login` if it uses SSO) or the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.');
  }
  if (/region is missing/i.test(err.message ?? '')) {
    return new TargetError('No AWS region configured — set AWS_REGION, or AWS_PROFILE naming a profile with a region.');
  }
  if (err.name && DENIED.has(err.name)) {
    return new TargetError(`AWS refused the request (${err.name}): ${err.message ?? ''} — check the credentials and that they may use table ${target.table}.`);
  }
  return undefined;
}

export type { RawMailArchive };

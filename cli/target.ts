/**
 * Which stack the CLI talks to. Local (default): the DynamoDB of `npm start`, found through the
 * same settings the stack uses. AWS (`--aws` or OTA_TARGET=aws): the default credential chain
 * and the deployed table, named by `--table` or OTA_TABLE_NAME.
 */
import { createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { ENV } from '../shared/env.js';
import { localFunctionEnv, localSettings } from '../local/settings.js';
import { TargetError, UsageError, type Target } from './command.js';

export interface TargetFlags {
  aws?: boolean;
  table?: string;
}

export const TABLE_HINT = 'the table name is in the outputs of the stack <prefix>Stateful (OtaStateful by default)';

export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv): Target {
  const targetEnv = env.OTA_TARGET;
  if (targetEnv !== undefined && targetEnv !== '' && targetEnv !== 'local' && targetEnv !== 'aws') {
    throw new UsageError(`OTA_TARGET must be "local" or "aws", got "${targetEnv}"`);
  }
  const table = flags.table ?? (env[ENV.tableName] || undefined);
  if (flags.aws || targetEnv === 'aws') {
    if (!table) throw new UsageError(`The AWS target needs the table: pass --table <name> or set ${ENV.tableName} (${TABLE_HINT})`);
    // Endpoint overrides point at local peers; against AWS the SDK finds the endpoint itself.
    const { [ENV.dynamodbEndpoint]: _endpoint, ...awsEnv } = env;
    return { kind: 'aws', table, where: 'AWS', db: createDynamoDbClient(awsEnv) };
  }
  let settings;
  try {
    settings = localSettings(env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const localEnv = localFunctionEnv(settings);
  return {
    kind: 'local',
    table: table ?? settings.tableName,
    where: localEnv[ENV.dynamodbEndpoint] ?? '',
    db: createDynamoDbClient(localEnv),
  };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const DENIED = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException', 'InvalidSignatureException', 'ExpiredToken']);

/** Translates what the SDK throws when the target is unusable into a message a person can act on. */
export function targetProblem(e: unknown, target: Target): TargetError | undefined {
  const err = e as { name?: string; code?: string; message?: string; errors?: { code?: string }[]; cause?: { code?: string } };
  // The code sits on the error, its cause or (dual-stack connect) its errors; an error from another
  // realm (e.g. a test VM) reaches us only as text, so the message is the last resort.
  const code = err.code ?? err.cause?.code ?? err.errors?.find((x) => x.code)?.code ?? /\b(E[A-Z]+)\b/.exec(err.message ?? '')?.[1];
  const local = target.kind === 'local';
  if ((code && NETWORK_CODES.has(code)) || err.name === 'TimeoutError') {
    return new TargetError(local ? `Cannot reach DynamoDB at ${target.where} — is \`npm start\` running?` : `Cannot reach DynamoDB in AWS (${code ?? err.name}) — check your network and AWS_REGION.`);
  }
  if (err.name === 'ResourceNotFoundException') {
    return new TargetError(
      local
        ? `Table ${target.table} does not exist at ${target.where} — \`npm start\` creates it; unset ${ENV.tableName} unless you meant another table.`
        : `Table ${target.table} not found in this AWS account and region — check --table / ${ENV.tableName} and AWS_REGION / AWS_PROFILE (${TABLE_HINT}).`,
    );
  }
  if (err.name === 'CredentialsProviderError') {
    return new TargetError('No AWS credentials found — set AWS_PROFILE (and run `aws sso login` if it uses SSO) or the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.');
  }
  if (/region is missing/i.test(err.message ?? '')) {
    return new TargetError('No AWS region configured — set AWS_REGION, or AWS_PROFILE naming a profile with a region.');
  }
  if (err.name && DENIED.has(err.name)) {
    return new TargetError(`AWS refused the request (${err.name}): ${err.message ?? ''} — check the credentials and that they may read table ${target.table}.`);
  }
  return undefined;
}

/**
 * CDK context keys (`-c key=value` or `context` in cdk.json), read and validated once at synth
 * time so a bad value fails `cdk synth` with the key named, not a deployed function at cold start.
 * Values given with `-c` arrive as strings; values from cdk.json keep their JSON type. Both work.
 */
import type { Node } from 'constructs';
import { ConfigError, parseConfig, type Config } from '../shared/config.js';

export const CONTEXT_KEYS = {
  config: 'ota:config',
  stackPrefix: 'ota:stackPrefix',
  recipients: 'ota:recipients',
  rawMailRetentionDays: 'ota:rawMailRetentionDays',
  requireTls: 'ota:requireTls',
} as const;

/** Lambda allows 4 KB for all environment variables together; leave room for the others. */
const MAX_CONFIG_JSON_BYTES = 3500;

export interface OtaContext {
  /** Prefix of stack names and of the SES receipt rule set / rule names. */
  readonly stackPrefix: string;
  /** The validated configuration (defaults merged in), for values infra needs itself. */
  readonly config: Config;
  /** The override object as JSON: the functions merge it over the same defaults at cold start. */
  readonly configJson: string;
  /** Addresses or domains the SES receipt rule accepts. */
  readonly recipients: string[];
  readonly rawMailRetentionDays: number;
  readonly requireTls: boolean;
}

export class ContextError extends Error {
  override name = 'ContextError';
}

export function readContext(node: Node): OtaContext {
  const override = readConfigOverride(node.tryGetContext(CONTEXT_KEYS.config));
  const config = parseOrName(override);
  const configJson = JSON.stringify(override);
  if (Buffer.byteLength(configJson) > MAX_CONFIG_JSON_BYTES) {
    throw new ContextError(
      `${CONTEXT_KEYS.config}: ${Buffer.byteLength(configJson)} bytes of JSON exceed the ${MAX_CONFIG_JSON_BYTES} that fit ` +
        'into the Lambda environment (4 KB in total); keep only the keys that differ from the defaults',
    );
  }
  return {
    stackPrefix: readStackPrefix(node.tryGetContext(CONTEXT_KEYS.stackPrefix)),
    config,
    configJson,
    recipients: readRecipients(node.tryGetContext(CONTEXT_KEYS.recipients), config.SupportAddress),
    rawMailRetentionDays: readPositiveInt(node.tryGetContext(CONTEXT_KEYS.rawMailRetentionDays), CONTEXT_KEYS.rawMailRetentionDays, 365),
    requireTls: readBoolean(node.tryGetContext(CONTEXT_KEYS.requireTls), CONTEXT_KEYS.requireTls, false),
  };
}

/** parseConfig names the bad key inside the configuration; add which context key holds it. */
function parseOrName(override: Record<string, unknown>): Config {
  try {
    return parseConfig(override);
  } catch (e) {
    if (e instanceof ConfigError) throw new ContextError(`${CONTEXT_KEYS.config}: ${e.message}`, { cause: e });
    throw e;
  }
}

function readConfigOverride(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (e) {
      throw new ContextError(`${CONTEXT_KEYS.config}: not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ContextError(`${CONTEXT_KEYS.config}: expected a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function readStackPrefix(value: unknown): string {
  if (value === undefined) return 'Ota';
  // Also starts the SES rule set name and the raw-mail bucket name (63 characters at most in all).
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(value)) {
    throw new ContextError(`${CONTEXT_KEYS.stackPrefix}: expected 1-20 letters, digits or dashes starting with a letter`);
  }
  return value;
}

/** An address (`help@example.com`), a domain (`example.com`) or all its subdomains (`.example.com`). */
const RECIPIENT = /^([^\s@]+@)?\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/;

function readRecipients(value: unknown, supportAddress: string): string[] {
  if (value === undefined) return [supportAddress];
  let list: unknown = value;
  if (typeof value === 'string') {
    list = value.trim().startsWith('[') ? safeJson(value, CONTEXT_KEYS.recipients) : value.split(',');
  }
  if (!Array.isArray(list) || list.length === 0 || list.some((r) => typeof r !== 'string')) {
    throw new ContextError(`${CONTEXT_KEYS.recipients}: expected a non-empty list of addresses or domains`);
  }
  const recipients = list.map((r: string) => r.trim().toLowerCase());
  const bad = recipients.filter((r) => !RECIPIENT.test(r));
  if (bad.length > 0) throw new ContextError(`${CONTEXT_KEYS.recipients}: not an address or domain: ${bad.join(', ')}`);
  return recipients;
}

function readPositiveInt(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ContextError(`${key}: expected a whole number of at least 1`);
  return n;
}

function readBoolean(value: unknown, key: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(`${key}: expected true or false`);
}

function safeJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ContextError(`${key}: not valid JSON (${(e as Error).message})`);
  }
}

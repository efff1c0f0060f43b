/**
 * CDK context keys (`-c key=value` or `context` in cdk.json), read and validated once at synth
 * time so a bad value fails `cdk synth` with the key named, not a deployed function at cold start.
 * Values given with `-c` arrive as strings; values from cdk.json keep their JSON type. Both work.
 * An optional key given as "" (or null) counts as not set. infra/README.md documents every key.
 * Whether the values can deploy and work together (production, placeholders, region) is
 * infra/preflight.ts's to check.
 */
import type { Node } from 'constructs';
import { ConfigError, parseConfig, type Config } from '../shared/config.js';

export const CONTEXT_KEYS = {
  config: 'ota:config',
  stackPrefix: 'ota:stackPrefix',
  production: 'ota:production',
  recipients: 'ota:recipients',
  requireTls: 'ota:requireTls',
  rawMailRetentionDays: 'ota:rawMailRetentionDays',
  rawMailProtection: 'ota:rawMailProtection',
  contributorInsights: 'ota:contributorInsights',
  tracing: 'ota:tracing',
  logRetentionDays: 'ota:logRetentionDays',
  apiRateLimit: 'ota:apiRateLimit',
  apiBurstLimit: 'ota:apiBurstLimit',
  domainName: 'ota:domainName',
  certificateArn: 'ota:certificateArn',
  alarmEmail: 'ota:alarmEmail',
  receiptRuleSet: 'ota:receiptRuleSet',
  helpdeskPrincipals: 'ota:helpdeskPrincipals',
  sourceMaps: 'ota:sourceMaps',
} as const;

/** The value of ota:alarmEmail that deploys production without alarm mail, on purpose. */
export const NO_ALARM_EMAIL = 'none';

/** Raw mail: `versioning` keeps a deleted mail restorable for a while; `object-lock` also allows legal holds. */
export const RAW_MAIL_PROTECTIONS = ['versioning', 'object-lock', 'none'] as const;
export type RawMailProtection = (typeof RAW_MAIL_PROTECTIONS)[number];

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Defaults of the keys that have one (cdk.json repeats them; a test keeps the two equal). */
export const CONTEXT_DEFAULTS = {
  [CONTEXT_KEYS.stackPrefix]: 'Ota',
  [CONTEXT_KEYS.production]: true,
  [CONTEXT_KEYS.requireTls]: true,
  [CONTEXT_KEYS.rawMailRetentionDays]: 365,
  [CONTEXT_KEYS.rawMailProtection]: 'versioning' as RawMailProtection,
  [CONTEXT_KEYS.contributorInsights]: false,
  [CONTEXT_KEYS.tracing]: true,
  [CONTEXT_KEYS.logRetentionDays]: 90,
  [CONTEXT_KEYS.apiRateLimit]: 20,
  [CONTEXT_KEYS.apiBurstLimit]: 50,
  // Off: Node's source-map support costs every cold start a share of its import (docs/performance.md,
  // "Bundles and cold starts"); the maps are deployed beside the bundle either way (infra/README.md).
  [CONTEXT_KEYS.sourceMaps]: false,
} as const;

/** Configuration keys a deployment must set itself: the built-in defaults only suit the local stack. */
export const REQUIRED_CONFIG_KEYS = ['SupportAddress', 'PortalUrl'] as const;

/** Lambda allows 4 KB for all environment variables together; leave room for the others. */
const MAX_CONFIG_JSON_BYTES = 3500;

export interface OtaContext {
  /** Prefix of stack names and of the SES receipt rule set / rule names. */
  readonly stackPrefix: string;
  /** An existing (active) SES receipt rule set to add our rule to, instead of creating `<prefix>-inbound`. */
  readonly receiptRuleSet?: string;
  /** A production synth refuses what cannot work for customers or ops (infra/preflight.ts). */
  readonly production: boolean;
  /** The validated configuration (defaults merged in), for values infra needs itself. */
  readonly config: Config;
  /** The override object as JSON: the functions merge it over the same defaults at cold start. */
  readonly configJson: string;
  /** Addresses or domains the SES receipt rule accepts. */
  readonly recipients: string[];
  readonly requireTls: boolean;
  readonly rawMailRetentionDays: number;
  readonly rawMailProtection: RawMailProtection;
  readonly contributorInsights: boolean;
  readonly tracing: boolean;
  readonly logRetentionDays: number;
  readonly api: { readonly rateLimit: number; readonly burstLimit: number };
  /** Custom domain of the portal: PortalUrl is then exactly `https://<domainName>`. */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Who gets alarm mail (an SNS topic is created only when someone does). */
  readonly alarmEmails: string[];
  /** ota:alarmEmail is `none`: no alarm mail, chosen on purpose (production refuses it left unset). */
  readonly alarmEmailNone: boolean;
  /** IAM roles or users of the helpdesk: the raw-mail bucket lets them read the files and put agent-reply files. */
  readonly helpdeskPrincipals: string[];
  /** NODE_OPTIONS=--enable-source-maps on every function: stack traces in the sources, at a cold-start cost. */
  readonly sourceMaps: boolean;
}

export class ContextError extends Error {
  override name = 'ContextError';
}

export function readContext(node: Node): OtaContext {
  const get = (key: string): unknown => {
    const value: unknown = node.tryGetContext(key);
    return value === '' || value === null ? undefined : value;
  };
  const production = readBoolean(get(CONTEXT_KEYS.production), CONTEXT_KEYS.production, CONTEXT_DEFAULTS[CONTEXT_KEYS.production]);
  const override = readConfigOverride(get(CONTEXT_KEYS.config));
  const config = parseOrName(override);
  checkRequired(override);
  const configJson = JSON.stringify(override);
  if (Buffer.byteLength(configJson) > MAX_CONFIG_JSON_BYTES) {
    throw new ContextError(
      `${CONTEXT_KEYS.config}: ${Buffer.byteLength(configJson)} bytes of JSON exceed the ${MAX_CONFIG_JSON_BYTES} that fit ` +
        'into the Lambda environment (4 KB in total); keep only the keys that differ from the defaults',
    );
  }
  const customDomain = readCustomDomain(get(CONTEXT_KEYS.domainName), get(CONTEXT_KEYS.certificateArn), config.PortalUrl);
  const receiptRuleSet = readReceiptRuleSet(get(CONTEXT_KEYS.receiptRuleSet));
  const alarmEmail = get(CONTEXT_KEYS.alarmEmail);
  return {
    stackPrefix: readStackPrefix(get(CONTEXT_KEYS.stackPrefix)),
    ...(receiptRuleSet ? { receiptRuleSet } : {}),
    production,
    config,
    configJson,
    recipients: readRecipients(get(CONTEXT_KEYS.recipients), config.SupportAddress),
    requireTls: readBoolean(get(CONTEXT_KEYS.requireTls), CONTEXT_KEYS.requireTls, CONTEXT_DEFAULTS[CONTEXT_KEYS.requireTls]),
    rawMailRetentionDays: readInt(get(CONTEXT_KEYS.rawMailRetentionDays), CONTEXT_KEYS.rawMailRetentionDays, CONTEXT_DEFAULTS[CONTEXT_KEYS.rawMailRetentionDays], 1, 36_500),
    rawMailProtection: readChoice(get(CONTEXT_KEYS.rawMailProtection), CONTEXT_KEYS.rawMailProtection, RAW_MAIL_PROTECTIONS, CONTEXT_DEFAULTS[CONTEXT_KEYS.rawMailProtection]),
    contributorInsights: readBoolean(get(CONTEXT_KEYS.contributorInsights), CONTEXT_KEYS.contributorInsights, CONTEXT_DEFAULTS[CONTEXT_KEYS.contributorInsights]),
    tracing: readBoolean(get(CONTEXT_KEYS.tracing), CONTEXT_KEYS.tracing, CONTEXT_DEFAULTS[CONTEXT_KEYS.tracing]),
    logRetentionDays: readLogRetention(get(CONTEXT_KEYS.logRetentionDays)),
    api: {
      // API Gateway's account-level quota is 10 000 requests/s and a burst of 5 000.
      rateLimit: readNumber(get(CONTEXT_KEYS.apiRateLimit), CONTEXT_KEYS.apiRateLimit, CONTEXT_DEFAULTS[CONTEXT_KEYS.apiRateLimit], 1, 10_000),
      burstLimit: readInt(get(CONTEXT_KEYS.apiBurstLimit), CONTEXT_KEYS.apiBurstLimit, CONTEXT_DEFAULTS[CONTEXT_KEYS.apiBurstLimit], 1, 5_000),
    },
    ...(customDomain ? { customDomain } : {}),
    alarmEmails: alarmEmail === NO_ALARM_EMAIL ? [] : readAlarmEmails(alarmEmail),
    alarmEmailNone: alarmEmail === NO_ALARM_EMAIL,
    helpdeskPrincipals: readHelpdeskPrincipals(get(CONTEXT_KEYS.helpdeskPrincipals)),
    sourceMaps: readBoolean(get(CONTEXT_KEYS.sourceMaps), CONTEXT_KEYS.sourceMaps, CONTEXT_DEFAULTS[CONTEXT_KEYS.sourceMaps]),
  };
}

/** An IAM role or user ARN, of this account or another (a helpdesk may run elsewhere). */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

function readHelpdeskPrincipals(value: unknown): string[] {
  if (value === undefined) return [];
  const arns = readStringList(value, CONTEXT_KEYS.helpdeskPrincipals, 'IAM role or user ARNs (a list, or comma-separated)');
  const bad = arns.filter((a) => !PRINCIPAL_ARN.test(a));
  if (bad.length > 0) throw new ContextError(`${CONTEXT_KEYS.helpdeskPrincipals}: not an IAM role or user ARN: ${bad.join(', ')}`);
  return arns;
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

/** The defaults of SupportAddress (support@localhost) and PortalUrl (http://localhost:3000) serve the local stack; a deployment names its own. */
function checkRequired(override: Record<string, unknown>): void {
  const missing = REQUIRED_CONFIG_KEYS.filter((key) => override[key] === undefined);
  if (missing.length > 0) {
    throw new ContextError(`${CONTEXT_KEYS.config}: ${missing.join(', ')} required: the built-in defaults only suit the local stack`);
  }
}

function readConfigOverride(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  const parsed = typeof value === 'string' ? safeJson(value, CONTEXT_KEYS.config) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ContextError(`${CONTEXT_KEYS.config}: expected a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function readStackPrefix(value: unknown): string {
  if (value === undefined) return CONTEXT_DEFAULTS[CONTEXT_KEYS.stackPrefix];
  // Also starts the SES rule set name and the raw-mail bucket name (63 characters at most in all).
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(value)) {
    throw new ContextError(`${CONTEXT_KEYS.stackPrefix}: expected 1-20 letters, digits or dashes starting with a letter`);
  }
  return value;
}

/** An address (`help@example.com`), a domain (`example.com`) or all its subdomains (`.example.com`). */
const RECIPIENT = /^([^\s@]+@)?\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** SES's rule set names: letters, digits, underscores, dashes and dots, 64 at most, a letter or digit at both ends. */
const RULE_SET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$/;

function readReceiptRuleSet(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !RULE_SET_NAME.test(value)) {
    throw new ContextError(`${CONTEXT_KEYS.receiptRuleSet}: expected the name of an existing SES receipt rule set (letters, digits, _ - ., at most 64)`);
  }
  return value;
}

function readRecipients(value: unknown, supportAddress: string): string[] {
  if (value === undefined) return [supportAddress];
  const recipients = readStringList(value, CONTEXT_KEYS.recipients, 'a non-empty list of addresses or domains').map((r) => r.toLowerCase());
  const bad = recipients.filter((r) => !RECIPIENT.test(r));
  if (bad.length > 0) throw new ContextError(`${CONTEXT_KEYS.recipients}: not an address or domain: ${bad.join(', ')}`);
  return recipients;
}

function readAlarmEmails(value: unknown): string[] {
  if (value === undefined) return [];
  const emails = readStringList(value, CONTEXT_KEYS.alarmEmail, `an address, a list of addresses, or ${NO_ALARM_EMAIL}`);
  const bad = emails.filter((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (bad.length > 0) throw new ContextError(`${CONTEXT_KEYS.alarmEmail}: not an email address: ${bad.join(', ')}`);
  return emails;
}

/** A list, a JSON list, or a comma-separated string. */
function readStringList(value: unknown, key: string, expected: string): string[] {
  let list: unknown = value;
  if (typeof value === 'string') list = value.trim().startsWith('[') ? safeJson(value, key) : value.split(',');
  if (!Array.isArray(list) || list.length === 0 || list.some((r) => typeof r !== 'string' || r.trim() === '')) {
    throw new ContextError(`${key}: expected ${expected}`);
  }
  return list.map((r: string) => r.trim());
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** The region of an ACM certificate ARN that readContext accepted. */
export function certificateRegion(certificateArn: string): string {
  return CERTIFICATE_ARN.exec(certificateArn)![1]!;
}

function readCustomDomain(domain: unknown, certificate: unknown, portalUrl: string): OtaContext['customDomain'] {
  if (domain === undefined && certificate === undefined) return undefined;
  if (domain === undefined) throw new ContextError(`${CONTEXT_KEYS.domainName}: required when ${CONTEXT_KEYS.certificateArn} is set`);
  if (certificate === undefined) throw new ContextError(`${CONTEXT_KEYS.certificateArn}: required when ${CONTEXT_KEYS.domainName} is set (an ACM certificate in the stack's region)`);
  if (typeof domain !== 'string' || !HOSTNAME.test(domain.toLowerCase())) throw new ContextError(`${CONTEXT_KEYS.domainName}: expected a host name such as help.example.com`);
  if (typeof certificate !== 'string' || !CERTIFICATE_ARN.test(certificate)) {
    throw new ContextError(`${CONTEXT_KEYS.certificateArn}: expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)`);
  }
  const domainName = domain.toLowerCase();
  // The routes sit at the root of the custom domain, and links are built from PortalUrl only.
  if (portalUrl !== `https://${domainName}`) {
    throw new ContextError(`${CONTEXT_KEYS.config}: PortalUrl must be https://${domainName} to match ${CONTEXT_KEYS.domainName}, got ${portalUrl}`);
  }
  return { domainName, certificateArn: certificate };
}

function readLogRetention(value: unknown): number {
  const key = CONTEXT_KEYS.logRetentionDays;
  const days = readInt(value, key, CONTEXT_DEFAULTS[key], 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) throw new ContextError(`${key}: CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}`);
  return days;
}

function readNumber(value: unknown, key: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw new ContextError(`${key}: expected a number from ${min} to ${max}`);
  return n;
}

function readInt(value: unknown, key: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new ContextError(`${key}: expected a whole number from ${min} to ${max}`);
  return n;
}

function readBoolean(value: unknown, key: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(`${key}: expected true or false`);
}

function readChoice<T extends string>(value: unknown, key: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw new ContextError(`${key}: expected one of ${choices.join(', ')}`);
  return value as T;
}

function safeJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ContextError(`${key}: not valid JSON (${(e as Error).message})`);
  }
}

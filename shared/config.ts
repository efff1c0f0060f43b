/**
 * Product configuration: one validated object. Keys keep the OTOBO add-on's names where the
 * add-on has them. Read once at cold start; a bad value fails fast naming its key.
 *
 * Sources, later wins: built-in defaults → OTA_CONFIG file (local) or OTA_CONFIG_JSON (deployed,
 * from CDK context). Localised values merge per language, so overriding only `de` keeps `en`.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import './zod.js';
import { ENV } from './env.js';
import { DEFAULTS } from './config-defaults.js';
import { normalizeAddress } from './domain/mail-rules.js';
import { SESSION_SCOPES } from './domain/model.js';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

const text = z.string().check(z.minLength(1));
/** One string for every language, or one per language: `{"en": …, "de": …}`. */
const localized = z.union([text, z.partialRecord(z.enum(LANGUAGES), text)]);
export type Localized = z.infer<typeof localized>;
const template = z.strictObject({ Subject: localized, Body: localized });
// Same rule as for senders, so `support@localhost` works for the local stack.
const email = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.refine((a) => normalizeAddress(a) !== undefined, 'expected an email address'),
);
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.int().check(z.minimum(min), z.maximum(max));

/** Files of a portal reply, together: what fits beside the text into the 6 MB Lambda takes once base64-encoded. */
export const REPLY_ATTACHMENTS_MAX_BYTES = 4_500_000;

/**
 * An IANA zone name (`Europe/Berlin`, `UTC`) that the runtime knows; offsets like `+02:00` are not
 * zones. UTC, the default, is known without asking Intl: the first Intl.DateTimeFormat with a time zone
 * loads ICU's zone data, about 25 ms that a cold start would otherwise pay before its first request.
 */
function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  if (!/^[A-Za-z][A-Za-z_]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*)*$/.test(name)) return false;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone !== undefined;
  } catch {
    return false;
  }
}

export const configSchema = z
  .strictObject({
    AccessDaysAfterClose: int(0),
    TokenMaxAgeDays: int(1, 365),
    RefreshMinIntervalMinutes: int(0),
    CustomerHeaderSpoofProtection: z.boolean(),
    /** Where customer users are created. Only the built-in DynamoDB backend exists today. */
    CustomerUserBackend: z.enum(['DynamoDB']),
    CustomerErrorMessageNewLink: localized,
    CustomerErrorMessageRefreshFailed: localized,
    CustomerErrorMessageLinkExpired: localized,
    CustomerErrorMessageWrongLink: localized,
    /** Mail with a fresh link after an old one was clicked (replaces TokenRefreshNotificationID). */
    TokenRefreshNotification: template,
    /** Auto-reply to an inbound mail. Placeholders: {{TicketNumber}} {{Title}} {{Link}} {{CustomerEmail}}. */
    AutoReply: template,
    /** Mail carrying an agent's reply and a fresh link (the add-on's ticket-link placeholder); adds {{Text}} and {{AgentName}}. */
    AgentReplyNotification: template,
    /** The address replies come from; also the inbound address. */
    SupportAddress: email,
    /** Display name on outgoing mail. */
    SupportName: text,
    /** Further addresses of ours: mail from them is never answered (loop protection). */
    OwnAddresses: z.array(email),
    /** Public base URL of the portal; links are built from it, never from a request's Host. */
    PortalUrl: z.pipe(
      z.url({ protocol: /^https?$/ }),
      z.transform((u: string) => u.replace(/\/+$/, '')),
    ),
    Languages: z.array(z.enum(LANGUAGES)).check(z.minLength(1)),
    DefaultLanguage: z.enum(LANGUAGES),
    SessionIdleMinutes: int(1, 24 * 60),
    SessionAbsoluteHours: int(1, 24 * 30),
    /** `customer`: a session opens all of the customer's tickets (the add-on's portal login); `ticket`: only the one whose link started it. */
    SessionScope: z.enum(SESSION_SCOPES),
    /** How long the access trail of a ticket keeps each entry. */
    AccessTrailDays: int(1, 3650),
    /** Self-service "send me a new link" limits, beside the per-ticket RefreshMinIntervalMinutes. */
    SelfServiceLimits: z.strictObject({
      PerAddressPerHour: int(1, 10_000),
      PerClientIpPerHour: int(1, 100_000),
    }),
    /**
     * Sign-in codes (docs/links-and-portal.md, "Sign-in codes"): attempts per ticket and per client
     * network (an IPv4 address, an IPv6 /64) in each clock hour, right or wrong.
     */
    SignInCodeLimits: z.strictObject({
      PerTicketPerHour: int(1, 100),
      PerClientIpPerHour: int(1, 100_000),
    }),
    /** `source` of the events this system publishes on the bus. */
    EventSource: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,256}$/, 'expected letters, digits, dots, dashes')),
    /** `source` of the helpdesk events this system accepts (TicketStateChanged, AgentReplied…). */
    HelpdeskEventSource: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,256}$/, 'expected letters, digits, dots, dashes')),
    /** EventBridge schedule expression of the sweep. */
    SweepSchedule: z.string().check(z.regex(/^(cron|rate)\(.+\)$/, 'expected cron(...) or rate(...)')),
    /** Auto-replies per sender address and UTC day; beyond it mail is recorded but not answered. */
    AutoReplyDailyCapPerSender: int(0, 1000),
    Verdicts: z.strictObject({
      /** Virus FAIL: drop the mail (recorded, no ticket). */
      DropOnVirusFail: z.boolean(),
      /** Spam FAIL: no customer, no link. */
      RejectOnSpamFail: z.boolean(),
      /** DMARC FAIL with one of these published policies: no customer, no link. */
      RejectOnDmarcFailPolicies: z.array(z.enum(['none', 'quarantine', 'reject'])),
      RejectOnSpfFail: z.boolean(),
      RejectOnDkimFail: z.boolean(),
    }),
    /** Key prefix the SES S3 action writes under; the object key is prefix + SES messageId. */
    RawMailPrefix: z.string(),
    /** Longest article text kept in the table, in UTF-8 bytes (an item holds 400 KB); the raw mail in S3 keeps everything. */
    ArticleTextMaxBytes: int(1000, 300_000),
    /** How long an inbound delivery is remembered for duplicate detection. */
    InboundDedupDays: int(1),

    // The ticket page (docs/links-and-portal.md, "The ticket page"): times and the files of a reply.
    /** IANA time zone the portal shows times in (`Europe/Berlin`); the pages say which. */
    PortalTimeZone: z.string().check(z.refine(isTimeZone, 'expected an IANA time zone name such as Europe/Berlin or UTC')),
    /**
     * Files a portal reply may carry. MaxBytes (all files together) is capped below what reaches the
     * function: Lambda takes 6 MB per request and API Gateway hands a binary body over base64-encoded
     * (4/3), so about 4.7 MB of form fits — API Gateway's own 10 MB never binds.
     */
    ReplyAttachments: z.strictObject({
      MaxFiles: int(0, 20),
      MaxBytes: int(0, REPLY_ATTACHMENTS_MAX_BYTES),
    }),
  })
  .check(
    z.refine((c) => c.Languages.includes(c.DefaultLanguage), { path: ['DefaultLanguage'], message: 'must be one of Languages' }),
    // On one bus, our own events must never read as the helpdesk's (they would loop back in).
    z.refine((c) => c.HelpdeskEventSource !== c.EventSource, { path: ['HelpdeskEventSource'], message: 'must differ from EventSource' }),
  );

export type Config = z.infer<typeof configSchema>;


export class ConfigError extends Error {
  override name = 'ConfigError';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for nested objects; arrays and scalars replace. A string replaces a per-language object. */
function merge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = merge(base[k], v);
  return out;
}

/** Validates an override object against the schema after merging it over the defaults. */
export function parseConfig(override: unknown = {}): Config {
  if (!isPlainObject(override)) throw new ConfigError('Invalid configuration: expected a JSON object');
  const result = configSchema.safeParse(merge(DEFAULTS, override));
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = i.path.join('.') || '(root)';
      const unknownKeys = i.code === 'unrecognized_keys' ? `: unknown key(s) ${i.keys.join(', ')}` : `: ${i.message}`;
      return `${key}${unknownKeys}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Reads OTA_CONFIG_JSON or the OTA_CONFIG file named in the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const json = env[ENV.configJson];
  const file = env[ENV.configFile];
  let raw: string | undefined;
  let source = 'defaults';
  if (json) {
    raw = json;
    source = ENV.configJson;
  } else if (file) {
    source = file;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`Cannot read configuration file ${file} (${ENV.configFile}): ${(e as Error).message}`);
    }
  }
  let override: unknown = {};
  if (raw !== undefined) {
    try {
      override = JSON.parse(raw);
    } catch (e) {
      throw new ConfigError(`Configuration in ${source} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return parseConfig(override);
}

/** Picks the text for a language: the string itself, or the language's entry, else the default language's. */
export function localize(value: Localized, language: Language, fallback: Language): string {
  if (typeof value === 'string') return value;
  return value[language] ?? value[fallback] ?? Object.values(value)[0] ?? '';
}

export function pickLanguage(config: Config, requested: string | undefined): Language {
  const wanted = (requested ?? '').toLowerCase().split(/[-_,;\s]/)[0];
  return (config.Languages as string[]).includes(wanted ?? '') ? (wanted as Language) : config.DefaultLanguage;
}

/**
 * Environment variables read by the functions. Infrastructure wiring (names, endpoints) lives
 * here; product behaviour lives in the validated configuration (config.ts).
 */
export const ENV = {
  /** DynamoDB table holding every item (docs/data-model.md). */
  tableName: 'OTA_TABLE_NAME',
  /** S3 bucket the SES receipt rule writes raw MIME into. */
  rawMailBucket: 'OTA_RAW_MAIL_BUCKET',
  /** The project's EventBridge bus: helpdesk events in, our events out. */
  eventBusName: 'OTA_EVENT_BUS_NAME',
  /** Configuration as JSON (deployed: set by CDK from context). */
  configJson: 'OTA_CONFIG_JSON',
  /** Path of a JSON configuration file (local use), read over the defaults. */
  configFile: 'OTA_CONFIG',
  /** Days the raw-mail bucket keeps objects (ota:rawMailRetentionDays): older files are shown as gone. Unset: kept. */
  fileRetentionDays: 'OTA_FILE_RETENTION_DAYS',
  /** The sign-in codes' key itself, base64url (local stack, tests): shared/code-key.ts. */
  codeKey: 'OTA_CODE_KEY',
  /** The Secrets Manager secret holding the codes' key (AWS): shared/code-key.ts. */
  codeKeySecret: 'OTA_CODE_KEY_SECRET',
  /** Endpoint overrides for local peers; unset in AWS. */
  dynamodbEndpoint: 'OTA_DYNAMODB_ENDPOINT',
  sesEndpoint: 'OTA_SES_ENDPOINT',
  s3Endpoint: 'OTA_S3_ENDPOINT',
  eventsEndpoint: 'OTA_EVENTS_ENDPOINT',
  secretsEndpoint: 'OTA_SECRETS_ENDPOINT',
} as const;

export function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

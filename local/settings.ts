/**
 * Where the local stack listens and keeps its data (docs/local-stack.md). The CLI reads the same
 * settings, so `npm run ota` finds the stack `npm start` runs without any flags.
 */
import { resolve } from 'node:path';
import { METRICS_NAMESPACE } from '../shared/metric-names.js';

export interface LocalSettings {
  httpPort: number;
  smtpPort: number;
  sesPort: number;
  dynamodbPort: number;
  s3Port: number;
  /** The local EventBridge (PutEvents) and the local Lambda Invoke API the ops CLI talks to. */
  eventsPort: number;
  lambdaPort: number;
  dataDir: string;
  tableName: string;
  rawMailBucket: string;
  eventBusName: string;
  host: string;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

export function localSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  return {
    httpPort: port(env, 'OTA_HTTP_PORT', 3000),
    smtpPort: port(env, 'OTA_SMTP_PORT', 2525),
    sesPort: port(env, 'OTA_SES_PORT', 8005),
    dynamodbPort: port(env, 'OTA_DYNAMODB_PORT', 8000),
    s3Port: port(env, 'OTA_S3_PORT', 4569),
    eventsPort: port(env, 'OTA_EVENTS_PORT', 8010),
    lambdaPort: port(env, 'OTA_LAMBDA_PORT', 8011),
    dataDir: resolve(env.OTA_DATA_DIR ?? '.local'),
    tableName: 'ota-local',
    rawMailBucket: env.OTA_RAW_MAIL_BUCKET || 'ota-raw-mail-local',
    eventBusName: 'ota-local',
    host: '127.0.0.1',
  };
}

/** The environment the functions see when they run inside the local stack. */
export function localFunctionEnv(s: LocalSettings): Record<string, string> {
  return {
    OTA_TABLE_NAME: s.tableName,
    OTA_RAW_MAIL_BUCKET: s.rawMailBucket,
    OTA_DYNAMODB_ENDPOINT: `http://${s.host}:${s.dynamodbPort}`,
    OTA_SES_ENDPOINT: `http://${s.host}:${s.sesPort}`,
    OTA_S3_ENDPOINT: `http://${s.host}:${s.s3Port}`,
    OTA_EVENTS_ENDPOINT: `http://${s.host}:${s.eventsPort}`,
    OTA_EVENT_BUS_NAME: s.eventBusName,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
}

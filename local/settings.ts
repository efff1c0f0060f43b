/**
 * Where the local stack listens and keeps its data (docs/local-stack.md). The CLI reads the same
 * settings, and the address the running stack records (stack-address.ts), so `npm run ota` finds
 * the stack `npm start` runs without any flags.
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

/** Each port of the stack: its variable and its default. */
export const PORTS = {
  http: { env: 'OTA_HTTP_PORT', fallback: 3000 },
  smtp: { env: 'OTA_SMTP_PORT', fallback: 2525 },
  ses: { env: 'OTA_SES_PORT', fallback: 8005 },
  dynamodb: { env: 'OTA_DYNAMODB_PORT', fallback: 8000 },
  s3: { env: 'OTA_S3_PORT', fallback: 4569 },
  events: { env: 'OTA_EVENTS_PORT', fallback: 8010 },
  lambda: { env: 'OTA_LAMBDA_PORT', fallback: 8011 },
} as const;
export type PortName = keyof typeof PORTS;
export const PORT_NAMES = Object.keys(PORTS) as PortName[];

/**
 * The bus the deployed stack names `<prefix>-events` (infra/names.ts), with the default prefix:
 * the documented events.json names it, so the local bus answers to the same name.
 */
export const LOCAL_EVENT_BUS_NAME = 'Ota-events';

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

export function localSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  return {
    httpPort: port(env, PORTS.http.env, PORTS.http.fallback),
    smtpPort: port(env, PORTS.smtp.env, PORTS.smtp.fallback),
    sesPort: port(env, PORTS.ses.env, PORTS.ses.fallback),
    dynamodbPort: port(env, PORTS.dynamodb.env, PORTS.dynamodb.fallback),
    s3Port: port(env, PORTS.s3.env, PORTS.s3.fallback),
    eventsPort: port(env, PORTS.events.env, PORTS.events.fallback),
    lambdaPort: port(env, PORTS.lambda.env, PORTS.lambda.fallback),
    dataDir: resolve(env.OTA_DATA_DIR ?? '.local'),
    tableName: 'ota-local',
    rawMailBucket: env.OTA_RAW_MAIL_BUCKET || 'ota-raw-mail-local',
    eventBusName: LOCAL_EVENT_BUS_NAME,
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

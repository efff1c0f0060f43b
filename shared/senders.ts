/**
 * What sends to the outside: the SES mailer and the EventBridge publisher, with their clients.
 * A module of its own so a function that sends rarely can import it on first use: the bundler
 * (infra/bundling.ts) splits by module, and the HTTP function's landing pages, redeems and portal
 * pages then never load either SDK client (functions/http/deps.ts).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Config } from './config.js';
import { ENV, requireEnv } from './env.js';
import { captureForXRay, localOptions, withTimeouts, type Env } from './adapters/aws-clients.js';
import { EventBridgePublisher } from './adapters/eventbridge/event-publisher.js';
import { SesMailer } from './adapters/ses/ses-mailer.js';
import { sendSafeRetries } from './adapters/ses/send-safe-retries.js';
import type { ClientOverrides } from './deps.js';

/** Sending is not idempotent: only failures SES certainly did not accept are retried (send-safe-retries.ts). */
export function createSesClient(env: Env = process.env): SESv2Client {
  return captureForXRay(new SESv2Client({ ...localOptions(env[ENV.sesEndpoint], env), requestHandler: withTimeouts(10_000), retryStrategy: sendSafeRetries }), env);
}

export function createEventBridgeClient(env: Env = process.env): EventBridgeClient {
  return captureForXRay(new EventBridgeClient({ ...localOptions(env[ENV.eventsEndpoint], env), requestHandler: withTimeouts(5_000) }), env);
}

export function sesMailer(env: Env, o: ClientOverrides) {
  return new SesMailer(o.ses ?? createSesClient(env));
}

export function eventPublisher(env: Env, o: ClientOverrides, config: Config) {
  return new EventBridgePublisher(o.events ?? createEventBridgeClient(env), requireEnv(env, ENV.eventBusName), config.EventSource);
}

/**
 * The HTTP function as a browser meets it: built by its own factory against the local peers (fake
 * clock, recorders, a DynamoDB client that counts requests), served through the local API Gateway
 * stand-in on a free port, and fetched over real HTTP with a small cookie jar.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../shared/config.js';
import { buildHttpDeps, type HttpDeps } from '../../functions/http/deps.js';
import { makeHandler } from '../../functions/http/handler.js';
import { buildEventsDeps } from '../../functions/helpdesk-events/deps.js';
import { makeHandler as makeEventsHandler } from '../../functions/helpdesk-events/handler.js';
import type { ClientOverrides } from '../../shared/deps.js';
import { helpdeskEventRules } from '../../shared/events/helpdesk.js';
import { apiGateway } from '../../local/api-gateway.js';
import { lambdaContext } from '../../local/lambda-api.js';
import { FakeClock, RecordingLogger, RecordingMetrics, countRequests } from '../../harness/fakes.js';
import { Browser } from '../../harness/http-browser.js';
import { codeIn, inboundHarness, linkIn } from '../../harness/inbound.js';
import type { Peers } from '../../harness/peers.js';

export interface PortalOptions {
  config?: Record<string, unknown>;
  /** The public URL links are built from, when it is not where this server listens (an https portal behind a proxy). */
  portalUrl?: string;
  overrides?: Partial<HttpDeps> & ClientOverrides;
}

export async function startPortal(peers: Peers, options: PortalOptions = {}) {
  // Links in mail must point at this server: PortalUrl is where it listens.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const configOverride = { SupportAddress: 'support@example.com', ...options.config, PortalUrl: options.portalUrl ?? base };
  const config = parseConfig(configOverride);
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  const db = peers.docClient();
  const requests = countRequests(db as never);
  const deps = buildHttpDeps(peers.env, { config, clock, metrics, logger, db, ses: peers.sesClient(), events: peers.eventsClient(), ...options.overrides });
  const handler = makeHandler(deps);
  server.on('request', apiGateway((event, context) => handler(event, context), () => lambdaContext('http'), () => undefined));
  const inbound = inboundHarness(peers, configOverride);
  // One clock for both: the mail arrives, the link is clicked later.
  inbound.clock.set(clock.now().toISOString());

  return {
    base,
    config,
    clock,
    metrics,
    logger,
    requests,
    deps,
    inbound,
    /** A mail in from `from`; resolves with the link of the auto-reply. */
    async mailIn(from: string, subject: string, text = 'Help!', id = `portal-${Math.random().toString(36).slice(2)}`) {
      inbound.clock.set(clock.now().toISOString());
      const { mime } = await import('../../harness/mail.js');
      const outcome = await inbound.deliver(id, await mime({ from, subject, text }));
      if (outcome !== 'replied') throw new Error(`mail from ${from}: ${outcome}`);
      return latestLink(peers, from);
    },
    browser: () => new Browser(base),
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type Portal = Awaited<ReturnType<typeof startPortal>>;

/**
 * What the other functions are built with beside this portal: its config, clock and logger, the
 * local peers' clients, and their own metrics recorder. `overrides` swaps a client (fault injection).
 */
export function sharedDeps(peers: Peers, portal: Portal, overrides: { metrics?: RecordingMetrics } & ClientOverrides = {}) {
  return { config: portal.config, clock: portal.clock, logger: portal.logger, metrics: new RecordingMetrics(), db: peers.docClient(), ses: peers.sesClient(), events: peers.eventsClient(), ...overrides };
}

/** The helpdesk-events function by its own factory, subscribed to the local bus by the rules the deployed bus has. */
export function subscribeEventsFunction(peers: Peers, portal: Portal, overrides: { metrics?: RecordingMetrics } & ClientOverrides = {}) {
  const deps = sharedDeps(peers, portal, overrides);
  const handler = makeEventsHandler(buildEventsDeps(peers.env, deps));
  for (const rule of helpdeskEventRules(portal.config)) {
    peers.bus.subscribe({ ...rule, eventBusName: peers.env.OTA_EVENT_BUS_NAME }, (event) => handler(event, lambdaContext('helpdesk-events')));
  }
  return { handler, metrics: deps.metrics };
}

/** The link in the newest mail to `to` (SES emulator's outbox). */
export async function latestLink(peers: Peers, to: string) {
  const mails = await peers.outbox(to);
  const mail = mails.at(-1);
  const m = /\/link\/(\d+)\/([A-Za-z0-9_-]{43})/.exec(mail?.body.text ?? '');
  if (!m?.[1] || !m[2]) throw new Error(`no link in the newest mail to ${to}`);
  return { ticketNumber: m[1], token: m[2], path: `/link/${m[1]}/${m[2]}`, code: codeIn(mail?.body.text), mail: mail!, count: mails.length };
}

export { Browser, linkIn };

/**
 * receive-mail wired to the local peers by the inbound function's own deps factory, with a fake
 * clock, recorders and a DynamoDB client that counts requests.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseConfig, type Config } from '../shared/config.js';
import { buildInboundDeps, type InboundDeps } from '../functions/inbound-mail/deps.js';
import type { ClientOverrides } from '../shared/deps.js';
import { receiveMail, type IncomingDelivery } from '../shared/use-cases/receive-mail.js';
import type { ReceiptVerdicts } from '../shared/domain/verdicts.js';
import { FakeClock, RecordingLogger, RecordingMetrics, countRequests } from './fakes.js';
import type { Peers } from './peers.js';

export const TEST_CONFIG = { PortalUrl: 'https://portal.example.com', SupportAddress: 'support@example.com' };

export function inboundHarness(peers: Peers, configOverride: Record<string, unknown> = {}) {
  const config: Config = parseConfig({ ...TEST_CONFIG, ...configOverride });
  const db = peers.docClient();
  const requests = countRequests(db as never);
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  const build = (overrides: Partial<InboundDeps> & ClientOverrides = {}) =>
    buildInboundDeps(peers.env, { config, clock, metrics, logger, db, ses: peers.sesClient(), s3: peers.s3Client(), events: peers.eventsClient(), ...overrides });
  const deps = build();
  return {
    deps,
    config,
    clock,
    metrics,
    logger,
    requests,
    /** The same deps with other clients (fault injection) or ports. */
    with: build,
    /** Stores the MIME as the SES S3 action would and runs the use case for that delivery. */
    async deliver(deliveryId: string, raw: Buffer | string, verdicts: ReceiptVerdicts = {}, useDeps: InboundDeps = deps, extra: Partial<IncomingDelivery> = {}) {
      const rawMailKey = `${config.RawMailPrefix}${deliveryId}`;
      await peers.putRawMail(rawMailKey, raw);
      return receiveMail(useDeps, { deliveryId, receivedAt: clock.now().toISOString(), rawMailKey, verdicts, envelopeSender: 'sender@example.org', ...extra });
    },
    async items(): Promise<Record<string, unknown>[]> {
      const out = await db.send(new ScanCommand({ TableName: peers.table }));
      return out.Items ?? [];
    },
    async entities(entity: string): Promise<Record<string, unknown>[]> {
      return (await this.items()).filter((i) => i.entity === entity);
    },
  };
}

export const LINK = /https:\/\/portal\.example\.com\/link\/(\d+)\/([A-Za-z0-9_-]{43})/;

export function linkIn(text: string | undefined): { ticketNumber: string; token: string } {
  const m = LINK.exec(text ?? '');
  if (!m?.[1] || !m[2]) throw new Error(`no link in: ${text}`);
  return { ticketNumber: m[1], token: m[2] };
}

/** A sign-in code as a mail shows it (`7KQ4-M9XT`, shared/domain/codes.ts). */
export const CODE = /\b([2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4})\b/;

export function codeIn(text: string | undefined): string {
  const m = CODE.exec(text ?? '');
  if (!m?.[1]) throw new Error(`no sign-in code in: ${text}`);
  return m[1];
}

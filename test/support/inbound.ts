/** Wires receive-mail to the local peers exactly as buildDeps does, with a fake clock and recorders. */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { parseConfig, type Config } from '../../shared/config.js';
import { DynamoInboundStore } from '../../shared/adapters/dynamodb/inbound-store.js';
import { S3RawMailStore } from '../../shared/adapters/s3/raw-mail-store.js';
import { SesMailer } from '../../shared/adapters/ses/ses-mailer.js';
import { cryptoRandom } from '../../shared/system.js';
import { receiveMail, type ReceiveMailDeps } from '../../shared/use-cases/receive-mail.js';
import type { ReceiptVerdicts } from '../../shared/domain/verdicts.js';
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
  const deps: ReceiveMailDeps = {
    config,
    clock,
    random: cryptoRandom,
    rawMail: new S3RawMailStore(peers.s3Client(), peers.bucket),
    store: new DynamoInboundStore(db, peers.table),
    mailer: new SesMailer(peers.sesClient()),
    logger,
    metrics,
  };
  return {
    deps,
    config,
    clock,
    metrics,
    logger,
    requests,
    withMailer(ses: SESClient): ReceiveMailDeps {
      return { ...deps, mailer: new SesMailer(ses) };
    },
    /** Stores the MIME as the SES S3 action would and runs the use case for that delivery. */
    async deliver(deliveryId: string, raw: Buffer | string, verdicts: ReceiptVerdicts = {}, useDeps: ReceiveMailDeps = deps) {
      const rawMailKey = `${config.RawMailPrefix}${deliveryId}`;
      await peers.putRawMail(rawMailKey, raw);
      return receiveMail(useDeps, { deliveryId, receivedAt: clock.now().toISOString(), rawMailKey, verdicts });
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

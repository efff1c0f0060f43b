/**
 * Local stand-in for SES receiving: an SMTP listener that does what a receipt rule does —
 * store the raw MIME in S3 under RawMailPrefix + messageId (S3 action), then invoke the
 * inbound function asynchronously with the SES receipt event (Lambda action, type Event),
 * retrying twice on failure like Lambda does.
 *
 * Verdicts are PASS unless the mail carries `X-OTA-Local-Verdicts: spam=FAIL, dmarc=FAIL/reject`
 * (a local-only switch to try the verdict handling; SES sets verdicts itself in AWS).
 */
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import PostalMime from 'postal-mime';
import { normalizeAddress } from '../shared/domain/mail-rules.js';
import { sesReceiptEvent, type LocalVerdicts } from './ses-event.js';

export interface SmtpInboundOptions {
  host: string;
  port: number;
  s3: S3Client;
  bucket: string;
  prefix: string;
  /** Addresses SES would accept mail for (the receipt rule's recipients). */
  recipients: string[];
  invoke: (event: unknown) => Promise<unknown>;
  log: (line: string) => void;
  /** Delays of the two retries (Lambda: about 1 and 2 minutes; locally seconds). */
  retryDelaysMs?: [number, number];
}

const MAX_MESSAGE_BYTES = 40 * 1024 * 1024; // SES receiving accepts up to 40 MB

type Verdicts = LocalVerdicts;

export function parseLocalVerdicts(header: string | undefined): Verdicts {
  const v: Verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
  for (const part of (header ?? '').split(/[,;]/)) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const key = name?.toLowerCase() as keyof Verdicts;
    if (!value || !['spam', 'virus', 'spf', 'dkim', 'dmarc'].includes(key)) continue;
    const [status, policy] = value.split('/');
    v[key] = (status ?? 'PASS').toUpperCase();
    if (key === 'dmarc' && policy) v.dmarcPolicy = policy.toLowerCase();
  }
  return v;
}

/** SES message ids are opaque lower-case alphanumerics. */
const sesMessageId = () => randomBytes(20).toString('hex');

export async function buildSesEvent(raw: Buffer, messageId: string, envelope: { from: string; to: string[] }, receivedAt: Date) {
  const mail = await PostalMime.parse(raw);
  const header = (key: string) => mail.headers.find((h) => h.key === key)?.value;
  return sesReceiptEvent({
    messageId,
    timestamp: receivedAt.toISOString(),
    envelope,
    headers: mail.headers.slice(0, 100).map((h) => ({ name: h.originalKey, value: h.value })),
    commonHeaders: {
      from: [header('from') ?? ''],
      to: [header('to') ?? ''],
      returnPath: envelope.from,
      messageId: header('message-id') ?? '',
      date: header('date') ?? '',
      subject: mail.subject ?? '',
    },
    verdicts: parseLocalVerdicts(header('x-ota-local-verdicts')),
  });
}

export function startSmtpInbound(o: SmtpInboundOptions): Promise<{ port: number; close(): Promise<void> }> {
  const accepted = new Set(o.recipients.map((r) => r.toLowerCase()));
  const [firstRetry, secondRetry] = o.retryDelaysMs ?? [1000, 2000];

  const invokeWithRetries = async (event: unknown, messageId: string) => {
    for (const [attempt, delay] of [0, firstRetry, secondRetry].entries()) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        const result = await o.invoke(event);
        o.log(`inbound ${messageId}: ${JSON.stringify(result)}`);
        return;
      } catch (e) {
        o.log(`inbound ${messageId}: attempt ${attempt + 1} failed: ${(e as Error).message}`);
      }
    }
    o.log(`inbound ${messageId}: gave up after 3 attempts (in AWS the event would go to the DLQ)`);
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'one-time-auth-links local inbound',
    logger: false,
    onRcptTo(address, _session, callback) {
      const rcpt = normalizeAddress(address.address);
      if (!rcpt || !accepted.has(rcpt)) return callback(Object.assign(new Error(`Mailbox ${address.address} is not handled here; try ${[...accepted][0]}`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
        }
        const raw = Buffer.concat(chunks);
        const messageId = sesMessageId();
        try {
          await o.s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: `${o.prefix}${messageId}`, Body: raw }));
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const event = await buildSesEvent(raw, messageId, envelope, new Date());
          // Accepted like SES accepts: the function runs after the SMTP answer.
          callback(null, `Accepted as ${messageId}`);
          void invokeWithRetries(event, messageId);
        } catch (e) {
          callback(Object.assign(new Error(`Temporary failure: ${(e as Error).message}`), { responseCode: 451 }));
        }
      });
    },
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      const address = server.server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : o.port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

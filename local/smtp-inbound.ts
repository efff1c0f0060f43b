/**
 * Local stand-in for SES receiving: an SMTP listener that does what a receipt rule does. It stores
 * the raw MIME in S3 under RawMailPrefix + messageId with the trace SES prepends (S3 action), answers
 * 250 once the mail is stored — whatever the MIME looks like: judging it is the function's job — and
 * then invokes the inbound function asynchronously with the receipt event (Lambda action, type
 * Event), retried like Lambda: twice, after Lambda's delays. When another invocation holds the
 * mail's lease, it tries again once the lease has run out instead of calling that a success.
 *
 * Verdicts are PASS unless the mail carries `X-OTA-Local-Verdicts: spam=FAIL, dmarc=FAIL/reject`
 * (a local-only switch to try the verdict handling; SES sets verdicts itself in AWS).
 */
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { normalizeAddress } from '../shared/domain/mail-rules.js';
import { LEASE_MS } from '../shared/use-cases/receive-mail.js';
import { asyncInvoker, RetryLater, type AsyncInvoker } from './async-invoke.js';
import { headerBlock, parseHeaders, rebuildSesEvent, sesStoredHeaders, type LocalVerdicts } from './ses-event.js';

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
  /** Delays of the two retries (Lambda: about 1 and 2 minutes). */
  retryDelaysMs?: readonly [number, number];
  /** How long to wait before trying a mail again whose delivery another invocation holds (default: a lease and a second). */
  inFlightRetryMs?: number;
}

export interface SmtpInbound {
  port: number;
  /** The same path a stored mail takes: invoke the function with its receipt event, retried like Lambda. */
  deliver(raw: Uint8Array, messageId: string, receivedAt: Date, recipients: string[]): void;
  idle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 40 * 1024 * 1024; // SES receiving accepts up to 40 MB

export function parseLocalVerdicts(header: string | undefined): LocalVerdicts {
  const v: LocalVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
  for (const part of (header ?? '').split(/[,;]/)) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const key = name?.toLowerCase() as keyof LocalVerdicts;
    if (!value || !['spam', 'virus', 'spf', 'dkim', 'dmarc'].includes(key)) continue;
    const [status, policy] = value.split('/');
    v[key] = (status ?? 'PASS').toUpperCase();
    if (key === 'dmarc' && policy) v.dmarcPolicy = policy.toLowerCase();
  }
  return v;
}

/** SES message ids are opaque lower-case alphanumerics. */
const sesMessageId = () => randomBytes(20).toString('hex');

/** The outcomes an inbound invocation answered with; `in-flight` means someone else holds the lease. */
function inFlight(result: unknown): boolean {
  const outcomes = (result as { outcomes?: unknown })?.outcomes;
  return Array.isArray(outcomes) && outcomes.includes('in-flight');
}

/** What SES's S3 action stores: the trace it prepends, then the message as received. */
export function storedCopy(raw: Buffer, messageId: string, receivedAt: Date, envelope: { from: string; to: string[] }): Buffer {
  const headers = parseHeaders(headerBlock(raw));
  const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value;
  const fromDomain = /@([^>\s]+)/.exec(header('from') ?? '')?.[1]?.toLowerCase();
  const trace = sesStoredHeaders({ messageId, receivedAt, envelope, fromDomain, verdicts: parseLocalVerdicts(header('x-ota-local-verdicts')) });
  return Buffer.concat([Buffer.from(trace, 'utf8'), raw]);
}

export function startSmtpInbound(o: SmtpInboundOptions): Promise<SmtpInbound> {
  const accepted = new Set(o.recipients.map((r) => r.toLowerCase()));
  const invoker: AsyncInvoker = asyncInvoker({ log: o.log, retryDelaysMs: o.retryDelaysMs });

  const deliver = (stored: Uint8Array, messageId: string, receivedAt: Date, recipients: string[], startAfter?: Promise<unknown>) => {
    const event = rebuildSesEvent(stored, messageId, receivedAt, recipients);
    invoker.invoke(
      `inbound ${messageId}`,
      async () => {
        const result = await o.invoke(event);
        if (inFlight(result)) throw new RetryLater(o.inFlightRetryMs ?? LEASE_MS + 1000, 'in flight elsewhere');
        o.log(`inbound ${messageId}: ${JSON.stringify(result)}`);
      },
      startAfter,
    );
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
        const messageId = sesMessageId();
        const receivedAt = new Date();
        // `MAIL FROM:<>` (a bounce) arrives as an empty address: passed on as SES does.
        const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
        const stored = storedCopy(Buffer.concat(chunks), messageId, receivedAt, envelope);
        try {
          await o.s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: `${o.prefix}${messageId}`, Body: stored }));
        } catch (e) {
          // Nothing stored: the sender's MTA tries again, as with any temporary failure.
          return callback(Object.assign(new Error(`Temporary failure: ${(e as Error).message}`), { responseCode: 451 }));
        }
        // Accepted like SES accepts: the function runs after the SMTP answer.
        let answered: () => void = () => undefined;
        deliver(stored, messageId, receivedAt, envelope.to, new Promise<void>((resolve) => (answered = resolve)));
        callback(null, `Accepted as ${messageId}`);
        answered();
      });
    },
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      const address = server.server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : o.port,
        deliver: (raw, messageId, receivedAt, recipients) => deliver(raw, messageId, receivedAt, recipients),
        idle: () => invoker.idle(),
        close: async () => {
          invoker.cancel();
          await new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}

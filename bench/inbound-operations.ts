/**
 * Inbound path, operation by operation, through the real receive-mail use case and the real
 * adapters against the local peers (harness/inbound.ts wiring): DynamoDB round trips
 * counted by an SDK middleware, latency timed around the use case. Storing the raw mail in
 * S3 (the SES receipt rule's S3 action) happens before the clock starts.
 *
 * Each iteration uses a new sender, so the per-sender daily auto-reply cap never interferes:
 *   new mail → new ticket and customer; follow-up naming that ticket in the subject;
 *   the first mail delivered again with the same SES messageId.
 */
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { S3RawMailStore } from '../shared/adapters/s3/raw-mail-store.js';
import { SesMailer } from '../shared/adapters/ses/ses-mailer.js';
import type { Mailer, OutboundMail } from '../shared/ports/mail.js';
import { receiveMail, type ReceiveMailDeps } from '../shared/use-cases/receive-mail.js';
import { countRequests } from '../harness/fakes.js';
import { inboundHarness } from '../harness/inbound.js';
import { mime } from '../harness/mail.js';
import type { OperationResult, OperationSuite } from './context.js';
import { countOf, summarize } from './stats.js';

const WARMUP = 5;

const OPERATIONS = ['new-mail-new-ticket', 'follow-up-by-subject', 'duplicate-delivery'] as const;
type Operation = (typeof OPERATIONS)[number];
const EXPECTED: Record<Operation, string> = { 'new-mail-new-ticket': 'replied', 'follow-up-by-subject': 'replied', 'duplicate-delivery': 'duplicate' };
const PEERS = ['dynamodb', 's3', 'ses'] as const;
type PeerName = (typeof PEERS)[number];

interface Sample {
  ms: number;
  commands: Record<PeerName, string[]>;
}

export const inboundOperations: OperationSuite = async ({ peers, settings, log }) => {
  const RUNS = settings.inboundIterations;
  const h = inboundHarness(peers);
  const s3 = peers.s3Client();
  const ses = peers.sesClient();
  const uploader = peers.s3Client();
  const counters = { dynamodb: h.requests, s3: countRequests(s3 as never), ses: countRequests(ses as never) };
  // The auto-reply's subject carries the ticket number the follow-up must name.
  let lastSent: OutboundMail | undefined;
  const sesMailer = new SesMailer(ses);
  const mailer: Mailer = { send: (mail) => ((lastSent = mail), sesMailer.send(mail)) };
  const takeSent = () => {
    const mail = lastSent;
    lastSent = undefined;
    return mail;
  };
  const deps: ReceiveMailDeps = h.with({ rawMail: new S3RawMailStore(s3, peers.bucket), mailer });

  async function deliver(op: Operation, delivery: { deliveryId: string; receivedAt: string }, raw?: Buffer): Promise<Sample> {
    const rawMailKey = `${h.config.RawMailPrefix}${delivery.deliveryId}`;
    if (raw) await uploader.send(new PutObjectCommand({ Bucket: peers.bucket, Key: rawMailKey, Body: raw }));
    PEERS.forEach((p) => counters[p].reset());
    const started = performance.now();
    const outcome = await receiveMail(deps, { ...delivery, rawMailKey, verdicts: {} });
    const ms = performance.now() - started;
    if (outcome !== EXPECTED[op]) throw new Error(`${op}: expected outcome ${EXPECTED[op]}, got ${outcome} (delivery ${delivery.deliveryId})`);
    return { ms, commands: { dynamodb: counters.dynamodb.commands, s3: counters.s3.commands, ses: counters.ses.commands } };
  }

  const samples: Record<Operation, Sample[]> = { 'new-mail-new-ticket': [], 'follow-up-by-subject': [], 'duplicate-delivery': [] };
  log(`inbound operations: ${WARMUP} warm-up + ${RUNS} measured iterations of ${OPERATIONS.join(', ')}`);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const domain = 'bench.example';
    const from = `Customer ${i} <customer${i}@${domain}>`;
    const subject = `Printer ${i} is on fire`;
    const first = await mime({ from, subject, text: 'Help! The printer is on fire.', messageId: `<first-${i}@${domain}>` });
    h.clock.advance(1000);
    const original = { deliveryId: `benchnew${i}`, receivedAt: h.clock.now().toISOString() };
    takeSent();
    const created = await deliver('new-mail-new-ticket', original, first);
    const reply = takeSent();
    const ticketNumber = /\[Ticket#(\d+)\]/.exec(reply?.subject ?? '')?.[1];
    if (!ticketNumber) throw new Error(`new-mail-new-ticket: no ticket number in the auto-reply subject ${JSON.stringify(reply?.subject)}`);

    const followUpMail = await mime({ from, subject: `Re: [Ticket#${ticketNumber}] ${subject}`, text: 'Still burning.', messageId: `<follow-${i}@${domain}>` });
    h.clock.advance(1000);
    const followUp = await deliver('follow-up-by-subject', { deliveryId: `benchfollow${i}`, receivedAt: h.clock.now().toISOString() }, followUpMail);

    h.clock.advance(1000);
    // SES redelivers the same event: same messageId and receipt time, raw mail already stored.
    const duplicate = await deliver('duplicate-delivery', original);

    if (i >= WARMUP) {
      samples['new-mail-new-ticket'].push(created);
      samples['follow-up-by-subject'].push(followUp);
      samples['duplicate-delivery'].push(duplicate);
    }
  }

  const operations = Object.fromEntries(
    OPERATIONS.map((op): [Operation, OperationResult] => [
      op,
      {
        outcome: EXPECTED[op],
        dynamoRequests: countOf(samples[op].map((s) => s.commands.dynamodb)),
        otherRequests: { s3: countOf(samples[op].map((s) => s.commands.s3)), ses: countOf(samples[op].map((s) => s.commands.ses)) },
        handlerLatencyMs: summarize(samples[op].map((s) => s.ms)),
      },
    ]),
  );
  return {
    scope:
      'receive-mail use case with the real DynamoDB, S3 and SES adapters, in the bench process, against local peers ' +
      '(dynalite in memory, s3rver, aws-ses-v2-local) on this machine: local-peer latency, not AWS latency. ' +
      'SES event parsing and Powertools output of the handler are not included; the raw-mail upload is not timed.',
    operations,
  };
};


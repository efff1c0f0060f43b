/**
 * The local SMTP listener as SES + Lambda's async invocation (docs/local-stack.md): it stores each
 * accepted mail in the S3 emulator, answers 250, and invokes the function — retrying later, without
 * counting a failure, when the function says another invocation holds the delivery, and retrying a
 * failure twice. A stub function stands in for the handler so each answer can be chosen.
 */
import { describe, expect, it } from '@jest/globals';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import nodemailer from 'nodemailer';
import { startSmtpInbound, type SmtpInbound } from '../../local/smtp-inbound.js';
import { useLocalSystem } from '../support/system.js';

const { peers } = useLocalSystem();

/** A listener whose function answers from `answers` in turn; resolves `done` after the last. */
async function listener(answers: (() => unknown)[]) {
  const logs: string[] = [];
  const events: unknown[] = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const smtp: SmtpInbound = await startSmtpInbound({
    host: '127.0.0.1',
    port: 0,
    s3: peers.s3Client(),
    bucket: peers.bucket,
    prefix: 'smtp-test/',
    recipients: ['support@localhost'],
    invoke: async (event) => {
      events.push(event);
      const answer = answers[events.length - 1];
      if (events.length >= answers.length) setImmediate(finished);
      return answer?.();
    },
    log: (line) => logs.push(line),
    retryDelaysMs: [1, 1],
    inFlightRetryMs: 5,
  });
  const send = () =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true })
      .sendMail({ from: 'dana@example.net', to: 'support@localhost', subject: 'Hello', text: 'Hi' });
  return { smtp, logs, events, done, send };
}

describe('the local SMTP listener', () => {
  it('tries a mail again later, without counting a failure, while another invocation holds its delivery', async () => {
    const l = await listener([() => ({ outcomes: ['in-flight'] }), () => ({ outcomes: ['in-flight'] }), () => ({ outcomes: ['replied'] })]);
    try {
      const sent = await l.send();
      await l.done;

      expect(sent.response).toMatch(/^250 /);
      expect(l.events).toHaveLength(3);
      expect(l.logs.filter((line) => line.includes('in flight elsewhere; trying again'))).toHaveLength(2);
      expect(l.logs.some((line) => /attempt \d of 3 failed/.test(line))).toBe(false);
      expect(l.logs.at(-1)).toContain('{"outcomes":["replied"]}');
      // The same receipt event each time, as Lambda retries the same event.
      expect(new Set(l.events.map((e) => JSON.stringify(e))).size).toBe(1);
    } finally {
      await l.smtp.close();
    }
  });

  it('retries a failing invocation twice, as Lambda does, then gives up and says where the event would go', async () => {
    const fail = () => {
      throw new Error('function crashed');
    };
    const l = await listener([fail, fail, fail]);
    try {
      await l.send();
      await l.done;
      await l.smtp.close(); // waits for the last attempt's bookkeeping

      expect(l.events).toHaveLength(3);
      expect(l.logs.filter((line) => /attempt \d of 3 failed: .*function crashed/.test(line))).toHaveLength(3);
      expect(l.logs.at(-1)).toContain('gave up after 3 attempts');
      const stored = await peers.s3Client().send(new ListObjectsV2Command({ Bucket: peers.bucket, Prefix: 'smtp-test/' }));
      expect(stored.KeyCount).toBeGreaterThanOrEqual(1); // the mail stays in S3 for a replay
    } finally {
      await l.smtp.close().catch(() => undefined);
    }
  });
});

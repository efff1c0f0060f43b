/**
 * SES sending is not idempotent. These faults are real network behaviour, made by a TCP proxy in
 * front of the SES emulator: SES accepts the mail but the answer is lost, SES answers "throttled",
 * nothing listens. Only what SES certainly did not accept may be retried by the SDK.
 */
import { describe, expect, it } from '@jest/globals';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/aws-clients.js';
import { sendSafeRetries } from '../../shared/adapters/ses/send-safe-retries.js';
import { SesMailer } from '../../shared/adapters/ses/ses-mailer.js';
import { RetryableError } from '../../shared/errors.js';
import { useLocalSystem } from '../support/system.js';

const { peers } = useLocalSystem();

type Mode = 'lose-answer' | 'throttle-first' | 'forward';

/** Forwards to the SES emulator; counts requests; per mode loses the answer or throttles the first request. */
async function proxy(mode: Mode): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    requests++;
    if (mode === 'throttle-first' && requests === 1) {
      const body = JSON.stringify({ message: 'Maximum sending rate exceeded.' });
      client.once('data', () => client.end(`HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nx-amzn-ErrorType: TooManyRequestsException\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
      return;
    }
    const upstream = connect(peers.ses.port, '127.0.0.1');
    sockets.add(upstream);
    client.pipe(upstream);
    // SES got the whole request and answered; the answer never reaches the caller.
    if (mode === 'lose-answer') upstream.once('data', () => (client.destroy(), upstream.destroy()));
    else upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

/** The production client, as createSesClient (shared/senders.ts) builds it, pointed at `endpoint`; one connection per request. */
const client = (endpoint: string) =>
  new SESv2Client({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, retryStrategy: sendSafeRetries, requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 5_000, httpAgent: { keepAlive: false } }) });

const mail = (to: string) => ({ from: { name: 'Support', address: 'support@example.com' }, to, subject: 'Link', text: 'x', html: '<p>x</p>', language: 'en' as const });

describe('sending mail through SES at most once per attempt', () => {
  it('does not retry when SES accepted the mail but its answer was lost: one mail, and a retryable failure for the caller', async () => {
    const lossy = await proxy('lose-answer');
    try {
      const failure = await new SesMailer(client(lossy.url)).send(mail('lost-answer@example.org')).catch((e: unknown) => e);

      expect(failure).toBeInstanceOf(RetryableError);
      expect(lossy.requests()).toBe(1);
      expect(await peers.outbox('lost-answer@example.org')).toHaveLength(1);
    } finally {
      await lossy.close();
    }
  });

  it('retries a throttled send, which SES did not accept, and mails once', async () => {
    const throttling = await proxy('throttle-first');
    try {
      const { messageId } = await new SesMailer(client(throttling.url)).send(mail('throttled@example.org'));

      expect(messageId).not.toBe('');
      expect(throttling.requests()).toBe(2);
      expect(await peers.outbox('throttled@example.org')).toHaveLength(1);
    } finally {
      await throttling.close();
    }
  });

  it('retries when the connection was refused before the request left', async () => {
    // Prepare: a port nothing listens on.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    let attempts = 0;
    const refused = client(`http://127.0.0.1:${port}`);
    refused.middlewareStack.add((next) => async (args) => (attempts++, next(args)), { step: 'finalizeRequest', name: 'countAttempts' });

    const failure = await new SesMailer(refused).send(mail('refused@example.org')).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryableError);
    expect(String((failure as Error).message)).toMatch(/ECONNREFUSED/);
    expect(attempts).toBe(3);
  });
});

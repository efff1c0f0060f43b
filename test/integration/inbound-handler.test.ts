/** The Lambda entry itself, wired from the environment exactly as in AWS, against local peers. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPeers, type Peers } from '../support/peers.js';
import { mime, sesEvent } from '../support/mail.js';

let peers: Peers;
let handleSesEvent: (event: unknown) => Promise<{ outcomes: string[] }>;

beforeAll(async () => {
  peers = await startPeers();
  Object.assign(process.env, peers.env, { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  ({ handleSesEvent } = await import('../../functions/inbound-mail.js'));
});
afterAll(async () => {
  await peers.stop();
});

describe('inbound-mail function', () => {
  it('turns an SES receipt event into an auto-reply', async () => {
    await peers.putRawMail('inbound/abc123', await mime({ from: 'ivy@handler.example', subject: 'Hi', text: 'x' }));
    expect(await handleSesEvent(sesEvent('abc123'))).toEqual({ outcomes: ['replied'] });
    expect((await peers.outbox()).map((m) => m.destination.to)).toEqual([['ivy@handler.example']]);
  });

  it.each([
    ['not an object', 'hello'],
    ['no records', { Records: [] }],
    ['another event source', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
    ['a path in the messageId', sesEvent('../../etc/passwd')],
    ['a bad timestamp', sesEvent('ok1', {}, 'yesterday')],
  ])('answers a malformed event (%s) without throwing, so it is not retried', async (_label, event) => {
    expect(await handleSesEvent(event)).toEqual({ outcomes: ['malformed-event'] });
  });

  it('throws when the raw mail is missing, so Lambda retries and the DLQ keeps the event', async () => {
    await expect(handleSesEvent(sesEvent('missing1'))).rejects.toThrow(/does not exist/);
  });
});

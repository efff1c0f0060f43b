/** The Lambda handler, built by the function's own factory against local peers. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPeers, type Peers } from '../support/peers.js';
import { mime, sesEvent } from '../support/mail.js';
import { buildInboundDeps } from '../../functions/inbound-mail/deps.js';
import { makeHandler } from '../../functions/inbound-mail/handler.js';
import { RecordingLogger } from '../support/fakes.js';

let peers: Peers;
let handler: ReturnType<typeof makeHandler>;

beforeAll(async () => {
  peers = await startPeers();
  handler = makeHandler(buildInboundDeps(peers.env, { logger: new RecordingLogger() }));
});
afterAll(async () => {
  await peers.stop();
});

describe('inbound-mail function', () => {
  it('turns an SES receipt event into an auto-reply', async () => {
    await peers.putRawMail('inbound/abc123', await mime({ from: 'ivy@handler.example', subject: 'Hi', text: 'x' }));
    expect(await handler.handleSesEvent(sesEvent('abc123'))).toEqual({ outcomes: ['replied'] });
    expect((await peers.outbox()).map((m) => m.destination.to)).toEqual([['ivy@handler.example']]);
  });

  it('passes the envelope sender on: a bounce sent with MAIL FROM:<> is not answered', async () => {
    await peers.putRawMail('inbound/bounce1', await mime({ from: 'someone@handler.example', subject: 'Undeliverable', text: 'x' }));
    const event = sesEvent('bounce1');
    event.Records[0]!.ses.mail.source = '';
    expect(await handler.handleSesEvent(event)).toEqual({ outcomes: ['ignored'] });
  });

  it.each([
    ['not an object', 'hello'],
    ['no records', { Records: [] }],
    ['another event source', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
    ['a path in the messageId', sesEvent('../../etc/passwd')],
    ['a bad timestamp', sesEvent('ok1', {}, 'yesterday')],
  ])('answers a malformed event (%s) without throwing, so it is not retried', async (_label, event) => {
    expect(await handler.handleSesEvent(event)).toEqual({ outcomes: ['malformed-event'] });
  });

  it('throws when the raw mail is missing, so Lambda retries and the DLQ keeps the event', async () => {
    await expect(handler.handleSesEvent(sesEvent('missing1'))).rejects.toThrow(/does not exist/);
  });
});

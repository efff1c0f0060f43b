/** The Lambda handler, built by the function's own factory against local peers. */
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { lambdaContext } from '../../local/lambda-api.js';
import { useLocalSystem } from '../support/system.js';
import { mime, sesEvent } from '../support/mail.js';
import { buildInboundDeps } from '../../functions/inbound-mail/deps.js';
import { makeHandler } from '../../functions/inbound-mail/handler.js';
import { RecordingLogger } from '../support/fakes.js';

const { peers } = useLocalSystem();
let handler: ReturnType<typeof makeHandler>;

beforeAll(() => {
  handler = makeHandler(buildInboundDeps(peers.env, { logger: new RecordingLogger() }));
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

describe('inbound-mail function under concurrent invocations in one process', () => {
  it('writes each log line with its own delivery’s and request’s keys, never another’s', async () => {
    // Prepare: a handler that logs at INFO, and two different mails delivered at the same time.
    const logging = makeHandler(buildInboundDeps({ ...peers.env, POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: 'inbound-mail' }));
    const ids = ['concurrent1', 'concurrent2'];
    for (const [i, id] of ids.entries()) await peers.putRawMail(`inbound/${id}`, await mime({ from: `log${i}@handler.example`, subject: `Log ${i}`, text: 'x' }));
    const contexts = ids.map(() => lambdaContext('inbound-mail'));
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));

    // Act
    try {
      await Promise.all(ids.map((id, i) => logging(sesEvent(id), contexts[i]!)));
    } finally {
      spy.mockRestore();
    }

    // Assert: every line about a delivery names the SES id and request id of that delivery together.
    const records = lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const recorded = records.filter((r) => r.message === 'Mail recorded');
    expect(recorded).toHaveLength(2);
    for (const [i, id] of ids.entries()) {
      const mine = records.filter((r) => r.sesMessageId === id);
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((r) => r.function_request_id))).toEqual(new Set([contexts[i]!.awsRequestId]));
    }
    const ticketOf = async (id: string) => (await peers.outbox()).find((m) => m.destination.to[0] === `log${ids.indexOf(id)}@handler.example`)?.subject;
    for (const r of recorded) expect(await ticketOf(String(r.sesMessageId))).toContain(String(r.ticketNumber));
  });
});

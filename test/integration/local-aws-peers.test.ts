/**
 * The local EventBridge and Lambda Invoke API, driven by the real SDK clients with only an
 * endpoint override — the way the local stack and the ops CLI use them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/aws-clients.js';
import { startEventBus, type EventBusPeer } from '../../local/event-bus.js';
import { lambdaContext, startLambdaApi, type LambdaApiPeer, type LambdaContextLike } from '../../local/lambda-api.js';

const LOCAL = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const entry = (source: string, detailType: string, detail: unknown = {}): PutEventsRequestEntry => ({ Source: source, DetailType: detailType, Detail: JSON.stringify(detail) });
const decode = (payload: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(payload)) as unknown;

describe('local event bus', () => {
  let bus: EventBusPeer;
  let client: EventBridgeClient;
  const logs: string[] = [];

  beforeAll(async () => {
    bus = await startEventBus({ host: '127.0.0.1', port: 0, log: (line) => logs.push(line), retryDelaysMs: [1, 1] });
    client = new EventBridgeClient({ ...LOCAL, endpoint: bus.url });
  });
  afterEach(async () => {
    await bus.idle();
    await fetch(`${bus.url}/clear-store`, { method: 'POST' });
    logs.length = 0;
  });
  afterAll(async () => {
    client.destroy();
    await bus.close();
  });

  it('accepts a batch and answers an id per entry', async () => {
    // Act
    const out = await client.send(new PutEventsCommand({ Entries: [entry('ota.tickets', 'TicketClosed', { ticketNumber: '20250101000001' }), entry('ota.tickets', 'TicketReopened')] }));

    // Assert
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.map((e) => e.EventId)).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    expect(bus.published()).toEqual([
      expect.objectContaining({ id: out.Entries?.[0]?.EventId, source: 'ota.tickets', detailType: 'TicketClosed', detail: { ticketNumber: '20250101000001' }, eventBusName: 'default', region: 'us-east-1' }),
      expect.objectContaining({ id: out.Entries?.[1]?.EventId, detailType: 'TicketReopened' }),
    ]);
    expect(bus.published()[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('fails only the bad entries of a mixed batch, with EventBridge’s codes', async () => {
    // Act
    const out = await client.send(
      new PutEventsCommand({
        Entries: [entry('ota.tickets', 'TicketClosed'), { Source: 'ota.tickets', DetailType: 'TicketClosed', Detail: '{not json' }, { DetailType: 'TicketClosed', Detail: '{}' }],
      }),
    );

    // Assert
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.[0]?.EventId).toMatch(UUID);
    expect(out.Entries?.[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(out.Entries?.[2]).toEqual({ ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' });
    expect(bus.published().map((e) => e.id)).toEqual([out.Entries?.[0]?.EventId]);
  });

  it('rejects more than 10 entries as a whole', async () => {
    // Prepare
    const entries = Array.from({ length: 11 }, (_, i) => entry('ota.tickets', `Type${i}`));

    // Act
    const sent = client.send(new PutEventsCommand({ Entries: entries }));

    // Assert
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('less than or equal to 10'), $metadata: { httpStatusCode: 400 } });
    expect(bus.published()).toEqual([]);
  });

  it('rejects entries over 256 KB together as a whole', async () => {
    // Prepare: two entries of 130 KB each; each alone would fit
    const big = 'x'.repeat(130 * 1024);

    // Act
    const sent = client.send(new PutEventsCommand({ Entries: [entry('ota.tickets', 'Big', { big }), entry('ota.tickets', 'Big', { big })] }));

    // Assert
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' });
  });

  it('answers an operation it does not offer as UnknownOperationException', async () => {
    // Act
    const res = await fetch(bus.url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.CreateArchive', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });

    // Assert
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'UnknownOperationException', message: expect.stringContaining('AWSEvents.CreateArchive') });
  });

  it('lists the events as JSON in the envelope a rule target receives, and as an escaped page, newest first, until cleared', async () => {
    // Prepare
    const out = await client.send(new PutEventsCommand({ Entries: [entry('ota.tickets', 'First'), entry('ota.tickets', 'Second', { title: '<script>alert(1)</script>' })] }));

    // Act
    const store = (await (await fetch(`${bus.url}/store`)).json()) as { events: Record<string, unknown>[] };
    const page = await (await fetch(`${bus.url}/`)).text();
    await fetch(`${bus.url}/clear-store`, { method: 'POST' });
    const cleared = (await (await fetch(`${bus.url}/store`)).json()) as { events: unknown[] };

    // Assert
    expect(store.events.map((e) => e['detail-type'])).toEqual(['First', 'Second']);
    expect(store.events[1]).toEqual({ version: '0', id: out.Entries?.[1]?.EventId, 'detail-type': 'Second', source: 'ota.tickets', account: '000000000000', time: expect.stringMatching(/Z$/), region: 'us-east-1', resources: [], detail: { title: '<script>alert(1)</script>' } });
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page.indexOf('Second')).toBeLessThan(page.indexOf('First'));
    expect(cleared.events).toEqual([]);
  });

  it('delivers each event to the rules whose source and detail-type match, in the EventBridge envelope', async () => {
    // Prepare
    const closed: unknown[] = [];
    const anyTicket: unknown[] = [];
    bus.subscribe({ name: 'ticket-closed', source: ['ota.tickets'], detailType: ['TicketClosed'] }, async (e) => void closed.push(e));
    bus.subscribe({ name: 'any-ticket', source: ['ota.tickets'] }, async (e) => void anyTicket.push(e));

    // Act
    const out = await client.send(
      new PutEventsCommand({ Entries: [entry('ota.tickets', 'TicketClosed', { n: 1 }), entry('ota.tickets', 'TicketReopened', { n: 2 }), entry('other.app', 'TicketClosed', { n: 3 })] }),
    );
    await bus.idle();

    // Assert
    expect(closed).toEqual([
      { version: '0', id: out.Entries?.[0]?.EventId, 'detail-type': 'TicketClosed', source: 'ota.tickets', account: '000000000000', time: expect.any(String), region: 'us-east-1', resources: [], detail: { n: 1 } },
    ]);
    expect(anyTicket.map((e) => (e as { detail: unknown }).detail)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('answers PutEvents before a target finishes', async () => {
    // Prepare: a target that waits until the test lets it go
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    bus.subscribe({ name: 'slow', source: ['ota.slow'] }, async () => {
      await gate;
      finished = true;
    });

    // Act
    const out = await client.send(new PutEventsCommand({ Entries: [entry('ota.slow', 'Slow')] }));

    // Assert
    expect(out.FailedEntryCount).toBe(0);
    expect(finished).toBe(false);
    release();
    await bus.idle();
    expect(finished).toBe(true);
  });

  it('retries a failing target twice, then gives it up to the failure destination', async () => {
    // Prepare
    let calls = 0;
    bus.subscribe({ name: 'always-fails', source: ['ota.fails'] }, async () => {
      calls += 1;
      throw new Error('DynamoDB unavailable');
    });

    // Act
    await client.send(new PutEventsCommand({ Entries: [entry('ota.fails', 'Boom')] }));
    await bus.idle();

    // Assert
    expect(calls).toBe(3);
    expect(logs.filter((l) => l.startsWith('rule always-fails'))).toEqual([
      expect.stringContaining('attempt 1 of 3 failed: Error: DynamoDB unavailable'),
      expect.stringContaining('attempt 2 of 3 failed'),
      expect.stringContaining('attempt 3 of 3 failed'),
      expect.stringContaining('gave up after 3 attempts; in AWS the event would go to the failure destination'),
    ]);
  });

  it('stops retrying once a retry succeeds', async () => {
    // Prepare
    let calls = 0;
    bus.subscribe({ name: 'fails-once', source: ['ota.flaky'] }, async () => {
      calls += 1;
      if (calls === 1) throw new Error('throttled');
    });

    // Act
    await client.send(new PutEventsCommand({ Entries: [entry('ota.flaky', 'Flaky')] }));
    await bus.idle();

    // Assert
    expect(calls).toBe(2);
    expect(logs.some((l) => l.includes('gave up'))).toBe(false);
  });
});

describe('stopping the local event bus', () => {
  it('does not wait out Lambda’s retry delays of a failing target, and says what it did not retry', async () => {
    // Prepare: retry delays far longer than any test may wait; a target that fails once.
    const logs: string[] = [];
    const bus = await startEventBus({ host: '127.0.0.1', port: 0, log: (line) => logs.push(line), retryDelaysMs: [3_600_000, 3_600_000] });
    const client = new EventBridgeClient({ ...LOCAL, endpoint: bus.url });
    let calls = 0;
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    bus.subscribe({ name: 'broken' }, async () => {
      calls++;
      failed();
      throw new Error('target down');
    });
    await client.send(new PutEventsCommand({ Entries: [entry('ota.tickets', 'TicketClosed')] }));
    await firstFailure;

    // Act
    await bus.close();
    client.destroy();

    // Assert: one attempt, then no waiting for the hour-long retry.
    expect(calls).toBe(1);
    expect(logs.some((l) => l.includes('not tried again: the stack is stopping'))).toBe(true);
  });
});

describe('local Lambda Invoke API', () => {
  let api: LambdaApiPeer;
  let client: LambdaClient;
  const received: { event: unknown; context: LambdaContextLike }[] = [];
  const failures: string[] = [];
  const logs: string[] = [];

  class TicketNotFoundError extends Error {
    override name = 'TicketNotFoundError';
  }

  beforeAll(async () => {
    api = await startLambdaApi({
      host: '127.0.0.1',
      port: 0,
      timeoutMs: { 'show-ticket': 5_000 },
      retryDelaysMs: [1, 1],
      log: (line) => logs.push(line),
      functions: {
        'show-ticket': async (event, context) => {
          received.push({ event, context });
          return { ticket: (event as { number: string }).number, remainingMs: context.getRemainingTimeInMillis() };
        },
        'fail-ticket': async (_event, context) => {
          failures.push(context.awsRequestId);
          throw new TicketNotFoundError('No ticket 42');
        },
      },
    });
    client = new LambdaClient({ ...LOCAL, endpoint: api.url });
  });
  afterEach(() => {
    received.length = 0;
    failures.length = 0;
    logs.length = 0;
  });
  afterAll(async () => {
    client.destroy();
    await api.close();
  });

  const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  it('runs the handler and answers its result (RequestResponse)', async () => {
    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: 'show-ticket', Payload: payload({ number: '7' }) }));

    // Assert
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(decode(out.Payload)).toEqual({ ticket: '7', remainingMs: expect.any(Number) });
    expect(received[0]?.context).toMatchObject({ functionName: 'show-ticket', functionVersion: '$LATEST', awsRequestId: expect.stringMatching(UUID), logStreamName: 'local' });
  });

  it('answers a thrown error as an unhandled function error, like Lambda', async () => {
    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: 'fail-ticket', Payload: payload({}) }));

    // Assert
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toEqual({ errorType: 'TicketNotFoundError', errorMessage: 'No ticket 42', trace: expect.any(Array) });
  });

  it('accepts an Event invocation at once and runs it in the background', async () => {
    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: 'show-ticket', InvocationType: 'Event', Payload: payload({ number: '8' }) }));
    await api.idle();

    // Assert
    expect(out.StatusCode).toBe(202);
    expect(received.map((r) => r.event)).toEqual([{ number: '8' }]);
  });

  it('retries a failing Event invocation twice with the same request id, then gives it up', async () => {
    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: 'fail-ticket', InvocationType: 'Event', Payload: payload({}) }));
    await api.idle();

    // Assert
    expect(out.StatusCode).toBe(202);
    expect(failures).toHaveLength(3);
    expect(new Set(failures).size).toBe(1);
    expect(logs.at(-1)).toMatch(/^fail-ticket .*: gave up after 3 attempts; in AWS the event would go to the failure destination$/);
    expect(logs[0]).toContain('attempt 1 of 3 failed: TicketNotFoundError: No ticket 42');
  });

  it('answers DryRun with 204 without running the handler', async () => {
    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: 'show-ticket', InvocationType: 'DryRun' }));

    // Assert
    expect(out.StatusCode).toBe(204);
    expect(received).toEqual([]);
  });

  it('finds a function by its ARN with a qualifier, and tells the handler that ARN', async () => {
    // Prepare
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:show-ticket:live';

    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: arn, Payload: payload({ number: '9' }) }));

    // Assert
    expect(decode(out.Payload)).toMatchObject({ ticket: '9' });
    expect(received[0]?.context.invokedFunctionArn).toBe(arn);
  });

  it('answers an unknown function with ResourceNotFoundException', async () => {
    // Act
    const sent = client.send(new InvokeCommand({ FunctionName: 'no-such-function', Payload: payload({}) }));

    // Assert
    await expect(sent).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(sent).rejects.toMatchObject({ Type: 'User', message: expect.stringMatching(/^Function not found: arn:aws:lambda:.*:function:no-such-function$/), $metadata: { httpStatusCode: 404 } });
  });

  it('answers a payload that is not JSON with InvalidRequestContentException', async () => {
    // Act
    const sent = client.send(new InvokeCommand({ FunctionName: 'show-ticket', Payload: new TextEncoder().encode('{oops') }));

    // Assert
    await expect(sent).rejects.toMatchObject({ name: 'InvalidRequestContentException', message: expect.stringContaining('Could not parse request body into json'), $metadata: { httpStatusCode: 400 } });
    expect(received).toEqual([]);
  });

  it('gives the handler the remaining time of its configured timeout', async () => {
    // Act
    const out = await client.send(new InvokeCommand({ FunctionName: 'show-ticket', Payload: payload({ number: '1' }) }));

    // Assert: started at 5 s and already counting down
    const { remainingMs } = decode(out.Payload) as { remainingMs: number };
    expect(remainingMs).toBeLessThanOrEqual(5_000);
    expect(remainingMs).toBeGreaterThan(4_000);
  });
});

describe('lambdaContext', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('counts the remaining time down from the timeout and stops at zero', () => {
    // Prepare
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const context = lambdaContext('sweep', 3_000);

    // Act
    now.mockReturnValue(1_001_200);
    const afterOneSecond = context.getRemainingTimeInMillis();
    now.mockReturnValue(1_010_000);
    const afterTimeout = context.getRemainingTimeInMillis();

    // Assert
    expect(afterOneSecond).toBe(1_800);
    expect(afterTimeout).toBe(0);
  });
});

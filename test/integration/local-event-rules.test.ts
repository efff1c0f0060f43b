/**
 * Subscribing on the local bus as a helpdesk developer will in AWS: PutRule with an event pattern,
 * PutTargets with an HTTP endpoint on this machine, through the real EventBridgeClient with only an
 * endpoint override — and the bus names it answers to.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/aws-clients.js';
import { startEventBus, type EventBusPeer } from '../../local/event-bus.js';
import { LOCAL_EVENT_BUS_NAME } from '../../local/settings.js';
import { CONTEXT_DEFAULTS, CONTEXT_KEYS } from '../../infra/context.js';
import { otaNames } from '../../infra/names.js';

const BUS = LOCAL_EVENT_BUS_NAME;
const FOLLOWS_TICKETS = JSON.stringify({ source: ['one-time-auth-links'], 'detail-type': ['TicketCreated', 'CustomerReplied', 'TicketReopened'] });

let bus: EventBusPeer;
let client: EventBridgeClient;
let endpoint: { server: Server; url: string; received: unknown[]; status: number };
const logs: string[] = [];

beforeAll(async () => {
  bus = await startEventBus({ host: '127.0.0.1', port: 0, buses: [BUS], log: (line) => logs.push(line), retryDelaysMs: [1, 1] });
  client = new EventBridgeClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: bus.url });
  // The helpdesk's endpoint: records each POSTed body, answers `status`.
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ contentType: req.headers['content-type'], body: JSON.parse(body) as unknown });
      res.writeHead(endpoint.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/helpdesk/events`, received, status: 204 };
});
afterEach(async () => {
  await bus.idle();
  endpoint.received.length = 0;
  endpoint.status = 204;
  logs.length = 0;
});
afterAll(async () => {
  client.destroy();
  await bus.close();
  await new Promise((resolve) => endpoint.server.close(resolve));
});

const ticketCreated = (ticketNumber: string) => ({ Source: 'one-time-auth-links', DetailType: 'TicketCreated', Detail: JSON.stringify({ ticketNumber, state: 'new' }), EventBusName: BUS });

describe('the local bus’s name', () => {
  it('is the deployed bus’s name with the default prefix, the one the documented events.json names', () => {
    expect(BUS).toBe(otaNames(CONTEXT_DEFAULTS[CONTEXT_KEYS.stackPrefix]).eventBus);
    expect(BUS).toBe('Ota-events');
  });

  it('refuses PutEvents to a bus it does not have, as a whole, saying which buses it has', async () => {
    // Act
    const sent = client.send(new PutEventsCommand({ Entries: [{ ...ticketCreated('20261202000001'), EventBusName: 'ota-local' }] }));

    // Assert
    await expect(sent).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Event bus ota-local does not exist. This local stack has: default, Ota-events.' });
    expect(bus.published()).toEqual([]);
    expect(logs).toEqual(['PutEvents refused: Event bus ota-local does not exist. This local stack has: default, Ota-events.']);
  });

  it('takes the bus by ARN as well as by name, and lists its buses', async () => {
    const out = await client.send(new PutEventsCommand({ Entries: [{ ...ticketCreated('20261202000002'), EventBusName: `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}` }] }));
    const buses = await client.send(new ListEventBusesCommand({}));

    expect(out.FailedEntryCount).toBe(0);
    expect(bus.published().at(-1)?.eventBusName).toBe(BUS);
    expect(buses.EventBuses?.map((b) => b.Name)).toEqual(['default', BUS]);
  });
});

describe('a subscription with PutRule and PutTargets', () => {
  it('POSTs each matching event to the HTTP target in the envelope EventBridge delivers, and nothing else', async () => {
    // Prepare: the subscription the docs show, with an HTTP endpoint as the target
    const rule = await client.send(new PutRuleCommand({ Name: 'helpdesk-follows-tickets', EventBusName: BUS, EventPattern: FOLLOWS_TICKETS }));
    const targets = await client.send(new PutTargetsCommand({ Rule: 'helpdesk-follows-tickets', EventBusName: BUS, Targets: [{ Id: 'helpdesk', Arn: endpoint.url }] }));

    // Act: one event it follows, one internal one it leaves out
    const out = await client.send(
      new PutEventsCommand({ Entries: [ticketCreated('20261202000003'), { Source: 'one-time-auth-links', DetailType: 'SelfServiceLinkRequested', Detail: '{"ticketNumber":"20261202000003"}', EventBusName: BUS }] }),
    );
    await bus.idle();

    // Assert
    expect(rule.RuleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${BUS}/helpdesk-follows-tickets`);
    expect(targets).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect(endpoint.received).toEqual([
      {
        contentType: 'application/json; charset=utf-8',
        body: { version: '0', id: out.Entries?.[0]?.EventId, 'detail-type': 'TicketCreated', source: 'one-time-auth-links', account: '000000000000', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), region: 'us-east-1', resources: [], detail: { ticketNumber: '20261202000003', state: 'new' } },
      },
    ]);
    expect(logs).toContainEqual(expect.stringMatching(/TicketCreated on Ota-events → helpdesk-follows-tickets$/));
    expect(logs).toContainEqual(expect.stringMatching(/SelfServiceLinkRequested on Ota-events → no rule$/));
  });

  it('filters on detail fields, and a disabled rule delivers nothing', async () => {
    // Prepare: events of a source no other rule here follows
    const event = (ticketNumber: string, state: string) => ({ Source: 'helpdesk.test', DetailType: 'TicketSeen', Detail: JSON.stringify({ ticketNumber, state }), EventBusName: BUS });
    const pattern = { source: ['helpdesk.test'], detail: { ticketNumber: [{ prefix: '2026120201' }], state: [{ 'anything-but': 'closed' }] } };
    await client.send(new PutRuleCommand({ Name: 'some-tickets', EventBusName: BUS, EventPattern: JSON.stringify(pattern) }));
    await client.send(new PutTargetsCommand({ Rule: 'some-tickets', EventBusName: BUS, Targets: [{ Id: 'helpdesk', Arn: endpoint.url }] }));
    const numbers = () => endpoint.received.map((r) => (r as { body: { detail: { ticketNumber: string } } }).body.detail.ticketNumber);

    // Act
    await client.send(new PutEventsCommand({ Entries: [event('20261202010001', 'open'), event('20261202020001', 'open'), event('20261202010002', 'closed')] }));
    await bus.idle();
    const matched = numbers();
    await client.send(new PutRuleCommand({ Name: 'some-tickets', EventBusName: BUS, EventPattern: JSON.stringify(pattern), State: 'DISABLED' }));
    await client.send(new PutEventsCommand({ Entries: [event('20261202010003', 'open')] }));
    await bus.idle();

    // Assert: only the prefix that is not closed; nothing once disabled; the rule kept its target
    expect(matched).toEqual(['20261202010001']);
    expect(numbers()).toEqual(['20261202010001']);
    expect((await client.send(new ListTargetsByRuleCommand({ Rule: 'some-tickets', EventBusName: BUS }))).Targets).toHaveLength(1);
  });

  it('retries an endpoint that answers with an error, then gives the event up, saying so', async () => {
    // Prepare
    endpoint.status = 503;

    // Act
    await client.send(new PutEventsCommand({ Entries: [ticketCreated('20261202000004')] }));
    await bus.idle();

    // Assert: three attempts on the follows-tickets rule, each logged with the reason
    const attempts = logs.filter((l) => l.startsWith('rule helpdesk-follows-tickets, target helpdesk'));
    expect(attempts).toEqual([
      expect.stringContaining('attempt 1 of 3 failed: Error: the endpoint answered 503'),
      expect.stringContaining('attempt 2 of 3 failed'),
      expect.stringContaining('attempt 3 of 3 failed'),
      expect.stringContaining('gave up after 3 attempts'),
    ]);
  });

  it('lists, describes, removes targets and deletes rules as EventBridge does', async () => {
    // Act
    const listed = await client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'helpdesk-' }));
    const described = await client.send(new DescribeRuleCommand({ Name: 'helpdesk-follows-tickets', EventBusName: BUS }));
    const targets = await client.send(new ListTargetsByRuleCommand({ Rule: 'helpdesk-follows-tickets', EventBusName: BUS }));
    const withTargets = client.send(new DeleteRuleCommand({ Name: 'helpdesk-follows-tickets', EventBusName: BUS }));
    await expect(withTargets).rejects.toMatchObject({ name: 'ValidationException', message: "Rule can't be deleted since it has targets." });
    const removed = await client.send(new RemoveTargetsCommand({ Rule: 'helpdesk-follows-tickets', EventBusName: BUS, Ids: ['helpdesk', 'nobody'] }));
    await client.send(new DeleteRuleCommand({ Name: 'helpdesk-follows-tickets', EventBusName: BUS }));
    const after = await client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'helpdesk-' }));

    // Assert
    expect(listed.Rules?.map((r) => [r.Name, r.State, r.EventPattern])).toEqual([['helpdesk-follows-tickets', 'ENABLED', FOLLOWS_TICKETS]]);
    expect(described).toMatchObject({ Name: 'helpdesk-follows-tickets', EventBusName: BUS, State: 'ENABLED' });
    expect(targets.Targets).toEqual([{ Id: 'helpdesk', Arn: endpoint.url }]);
    expect(removed).toMatchObject({ FailedEntryCount: 1, FailedEntries: [{ TargetId: 'nobody', ErrorCode: 'ResourceNotFoundException' }] });
    expect(after.Rules).toEqual([]);
    await expect(client.send(new DescribeRuleCommand({ Name: 'helpdesk-follows-tickets', EventBusName: BUS }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `Rule helpdesk-follows-tickets does not exist on EventBus ${BUS}.` });
  });
});

describe('what the local bus refuses, naming why', () => {
  it('a pattern it cannot use, a bus it does not have, a schedule', async () => {
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventBusName: BUS, EventPattern: '{"source": "helpdesk"}' }))).rejects.toMatchObject({ name: 'InvalidEventPatternException', message: expect.stringContaining('"source" must be an object or a non-empty array') });
    await expect(client.send(new PutRuleCommand({ Name: 'lost', EventBusName: 'ota-local', EventPattern: FOLLOWS_TICKETS }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new PutRuleCommand({ Name: 'nightly', EventBusName: BUS, ScheduleExpression: 'rate(1 day)' }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('ScheduleExpression is not supported') });
    await expect(client.send(new PutTargetsCommand({ Rule: 'nobody', EventBusName: BUS, Targets: [{ Id: 'x', Arn: endpoint.url }] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `Rule nobody does not exist on EventBus ${BUS}.` });
  });

  it('a target that is not an HTTP endpoint on this machine, or that wants its input rewritten: that entry fails, the others stand', async () => {
    // Prepare
    await client.send(new PutRuleCommand({ Name: 'targets', EventBusName: BUS, EventPattern: FOLLOWS_TICKETS }));

    // Act
    const out = await client.send(
      new PutTargetsCommand({
        Rule: 'targets',
        EventBusName: BUS,
        Targets: [
          { Id: 'queue', Arn: 'arn:aws:sqs:eu-west-1:123456789012:helpdesk-inbox' },
          { Id: 'elsewhere', Arn: 'https://helpdesk.example.com/events' },
          { Id: 'rewritten', Arn: endpoint.url, InputPath: '$.detail' },
          { Id: 'local', Arn: endpoint.url },
        ],
      }),
    );
    const kept = await client.send(new ListTargetsByRuleCommand({ Rule: 'targets', EventBusName: BUS }));

    // Assert
    expect(out.FailedEntryCount).toBe(3);
    expect(out.FailedEntries).toEqual([
      { TargetId: 'queue', ErrorCode: 'ValidationException', ErrorMessage: expect.stringContaining('delivers to an http(s) URL on this machine') },
      { TargetId: 'elsewhere', ErrorCode: 'ValidationException', ErrorMessage: expect.stringContaining('"https://helpdesk.example.com/events"') },
      { TargetId: 'rewritten', ErrorCode: 'ValidationException', ErrorMessage: expect.stringContaining('InputPath') },
    ]);
    expect(kept.Targets?.map((t) => t.Id)).toEqual(['local']);
    await client.send(new RemoveTargetsCommand({ Rule: 'targets', EventBusName: BUS, Ids: ['local'] }));
    await client.send(new DeleteRuleCommand({ Name: 'targets', EventBusName: BUS }));
  });

  it('changing a rule the stack wired itself', async () => {
    // Prepare: a rule as the stack wires the helpdesk-events function
    bus.subscribe({ name: 'helpdesk-events', eventBusName: BUS, source: ['helpdesk'], targetArn: 'arn:aws:lambda:local:000000000000:function:helpdesk-events' }, async () => undefined);

    // Act
    const listed = await client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'helpdesk-events' }));
    const deleted = client.send(new DeleteRuleCommand({ Name: 'helpdesk-events', EventBusName: BUS }));
    const retargeted = client.send(new PutTargetsCommand({ Rule: 'helpdesk-events', EventBusName: BUS, Targets: [{ Id: 'mine', Arn: endpoint.url }] }));

    // Assert
    expect(listed.Rules).toEqual([expect.objectContaining({ Name: 'helpdesk-events', ManagedBy: 'ota-local-stack', EventPattern: '{"source":["helpdesk"]}' })]);
    await expect(deleted).rejects.toMatchObject({ name: 'ManagedRuleException' });
    await expect(retargeted).rejects.toMatchObject({ name: 'ManagedRuleException' });
  });
});

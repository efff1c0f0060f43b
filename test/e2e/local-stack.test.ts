/**
 * End to end: `npm start`'s stack in a child process, a real SMTP client, the auto-reply read
 * back from the SES emulator's /store, and data that survives a restart.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import nodemailer from 'nodemailer';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createConnection } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteRuleCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, startLocalStack, type RunningStack } from '../support/local-stack.js';
import { LOCAL } from '../support/peers.js';
import { sesOutbox, type OutboxEmail } from '../support/peers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ota-e2e-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The mails the stack's SES emulator accepted for `address`, oldest first. */
const outboxFor = (s: RunningStack, address: string): Promise<OutboxEmail[]> => sesOutbox(s.urls.ses, address);

async function customers(s: RunningStack): Promise<string[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint: s.urls.dynamodb }));
  const out = await db.send(new QueryCommand({ TableName: 'ota-local', IndexName: 'byType', KeyConditionExpression: 'gsi3pk = :c', ExpressionAttributeValues: { ':c': 'CUSTOMER' } }));
  db.destroy();
  return (out.Items ?? []).map((i) => String(i.login));
}

async function tableItems(s: RunningStack, entity: string): Promise<Record<string, unknown>[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint: s.urls.dynamodb }));
  const out = await db.send(new ScanCommand({ TableName: 'ota-local', FilterExpression: 'entity = :d', ExpressionAttributeValues: { ':d': entity } }));
  db.destroy();
  return out.Items ?? [];
}

const deliveries = (s: RunningStack) => tableItems(s, 'delivery');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * `npm run ota -- …` exactly as the README says, given only the stack's data directory: the stack
 * listens on ports the system chose (port 0), which the CLI reads from the address it recorded.
 */
function ota(args: string[], dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^OTA_.*_PORT$/.test(k)));
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'ota', '--', ...args], { cwd: join(import.meta.dirname, '..', '..'), env: { ...env, OTA_DATA_DIR: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('local stack (npm start)', () => {
  it('answers a mail sent over SMTP with a one-time link, and keeps its data across a restart', async () => {
    // Prepare
    stack = await startLocalStack({ OTA_DATA_DIR: dataDir });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack.port('smtp'), secure: false, ignoreTLS: true });

    // Act
    const sent = await smtp.sendMail({ from: 'Pat Customer <Pat@Example.NET>', to: 'support@localhost', subject: 'My order', text: 'Where is it?' });
    const reply = await eventually(async () => (await outboxFor(stack!, 'pat@example.net'))[0], 'the auto-reply');

    // Assert
    expect(sent.response).toMatch(/^250 Accepted as [0-9a-f]{40}$/);
    expect(reply.from).toContain('support@localhost');
    expect(reply.subject).toMatch(/^\[Ticket#\d{14}\] My order$/);
    // PortalUrl is not configured: links point at the port the stack really listens on.
    expect(reply.body.text).toContain(`http://localhost:${stack.port('http')}/link/`);
    expect(reply.body.text).toMatch(/\/link\/\d{14}\/[A-Za-z0-9_-]{43}/);
    expect(await customers(stack)).toContain('pat@example.net');
    const cli = await ota(['customer', 'list', '--json'], dataDir);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'pat@example.net' })]));

    // A run with nothing to count — the outbox relay's usual minute, here invoked as its schedule
    // does — prints no Powertools warning about empty metrics, nor did the mail round trip.
    const lambda = new LambdaClient({ ...LOCAL, endpoint: stack.urls.lambda });
    const relay = await lambda.send(new InvokeCommand({ FunctionName: 'helpdesk-events', Payload: new TextEncoder().encode(JSON.stringify({ task: 'relay-outbox' })) }));
    lambda.destroy();
    expect(relay.FunctionError).toBeUndefined();
    expect(stack.output()).not.toContain('No application metrics to publish');

    // The documented local switch for verdicts: a spam FAIL is recorded as rejected, nobody is answered.
    await smtp.sendMail({ from: 'spammer@example.net', to: 'support@localhost', subject: 'WIN', text: 'money', headers: { 'X-OTA-Local-Verdicts': 'spam=FAIL' } });
    const rejected = await eventually(async () => (await deliveries(stack!)).find((d) => d.status === 'rejected'), 'the rejected delivery');
    expect(rejected.reason).toBe('spam');
    expect(await customers(stack)).not.toContain('spammer@example.net');
    expect(await outboxFor(stack, 'spammer@example.net')).toHaveLength(0);

    // A mail for an address we do not handle is refused at RCPT, like SES would not accept it.
    await expect(smtp.sendMail({ from: 'pat@example.net', to: 'someone@else.example', subject: 'x', text: 'y' })).rejects.toThrow(/550/);

    // Restart on the same data directory: the customer is still there. An orderly stop takes its address along.
    expect(await stack.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
    stack = await startLocalStack({ OTA_DATA_DIR: dataDir });
    expect(await customers(stack)).toContain('pat@example.net');
  }, 120_000);
});

describe('local stack: SMTP like SES', () => {
  it('answers 250 for anything it stored, hostile MIME included, and the function records why it ignored it', async () => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack!.port('smtp'), secure: false, ignoreTLS: true });
    const nested = Array.from({ length: 300 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join('');
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));

    const deep = await smtp.sendMail({ envelope: { from: 'deep@example.net', to: ['support@localhost'] }, raw: `From: deep@example.net\r\nTo: support@localhost\r\nSubject: deep\r\nMIME-Version: 1.0\r\n${nested}Content-Type: text/plain\r\n\r\ninner\r\n` });
    const binary = await smtp.sendMail({ envelope: { from: 'garbage@example.net', to: ['support@localhost'] }, raw: garbage });
    const bounce = await smtp.sendMail({ envelope: { from: '', to: ['support@localhost'] }, raw: 'From: mailer@example.net\r\nTo: support@localhost\r\nSubject: Undelivered\r\n\r\nbounce\r\n' });

    for (const sent of [deep, binary, bounce]) expect(sent.response).toMatch(/^250 Accepted as [0-9a-f]{40}$/);
    await eventually(async () => (await deliveries(stack!)).find((d) => d.sender === 'deep@example.net' && d.status === 'replied'), 'the deep mail answered');
    const bounceId = /[0-9a-f]{40}/.exec(bounce.response)?.[0] ?? '';
    const garbageId = /[0-9a-f]{40}/.exec(binary.response)?.[0] ?? '';
    const settled = async (id: string) => (await deliveries(stack!)).find((d) => d.deliveryId === id);
    expect(await eventually(() => settled(bounceId), 'the bounce recorded')).toMatchObject({ status: 'ignored', reason: 'null-reverse-path' });
    expect(await eventually(() => settled(garbageId), 'the garbage recorded')).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/^(malformed-mime|from-missing-or-ambiguous)$/) });
    expect(await outboxFor(stack!, 'mailer@example.net')).toHaveLength(0);
  }, 60_000);
});

describe('local stack: the helpdesk integration as the docs show it', () => {
  it('hands TicketCreated to a rule’s HTTP target in EventBridge’s envelope, and the documented events.json changes the ticket', async () => {
    // Prepare: the helpdesk's endpoint, subscribed with PutRule and PutTargets on the documented bus
    const received: Record<string, unknown>[] = [];
    const endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => (received.push(JSON.parse(body) as Record<string, unknown>), res.writeHead(204).end()));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const events = new EventBridgeClient({ ...LOCAL, endpoint: stack!.urls.events });
    const subscription = { Rule: 'helpdesk-follows-tickets', EventBusName: 'Ota-events' };
    await events.send(new PutRuleCommand({ Name: subscription.Rule, EventBusName: subscription.EventBusName, EventPattern: JSON.stringify({ source: ['one-time-auth-links'], 'detail-type': ['TicketCreated', 'CustomerReplied', 'TicketReopened'] }) }));
    await events.send(new PutTargetsCommand({ ...subscription, Targets: [{ Id: 'helpdesk', Arn: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/events` }] }));
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack!.port('smtp'), secure: false, ignoreTLS: true });

    try {
      // Act: a customer writes in
      await smtp.sendMail({ from: 'Dana <dana@example.net>', to: 'support@localhost', subject: 'Printer on fire', text: 'Help!' });
      const created = await eventually(async () => received.find((e) => e['detail-type'] === 'TicketCreated' && JSON.stringify(e.detail).includes('dana@example.net')), 'TicketCreated at the helpdesk');

      // Assert: the documented envelope, the same one /store lists
      expect(Object.keys(created).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
      expect(created).toMatchObject({ version: '0', source: 'one-time-auth-links', account: '000000000000', region: 'us-east-1', resources: [], detail: { state: 'new', customer: { login: 'dana@example.net' } } });
      const store = (await (await fetch(`${stack!.urls.events}store`)).json()) as { events: unknown[] };
      expect(store.events).toContainEqual(created);

      // Act: the helpdesk answers with the documented events.json (bus Ota-events), for this ticket
      const ticketNumber = (created.detail as { ticketNumber: string }).ticketNumber;
      const documented = [
        { EventBusName: 'Ota-events', Source: 'helpdesk', DetailType: 'AgentReplied', Detail: JSON.stringify({ ticketNumber, text: 'We have sent a technician.\nHe will be there at 3 pm.', from: 'Maria from Support' }) },
        { EventBusName: 'Ota-events', Source: 'helpdesk', DetailType: 'TicketStateChanged', Detail: JSON.stringify({ ticketNumber, state: 'closed' }) },
      ];
      const put = await events.send(new PutEventsCommand({ Entries: documented }));

      // Assert: the ticket closed, the customer has the reply; another bus name fails loudly
      expect(put.FailedEntryCount).toBe(0);
      await eventually(async () => (await tableItems(stack!, 'ticket')).find((t) => t.number === ticketNumber && t.state === 'closed'), 'the ticket closed');
      const reply = await eventually(async () => (await outboxFor(stack!, 'dana@example.net')).find((m) => m.body.text?.includes('We have sent a technician.')), 'the agent reply mailed');
      expect(reply.body.text).toContain('Maria from Support');
      await expect(events.send(new PutEventsCommand({ Entries: [{ ...documented[1]!, EventBusName: 'ota-local' }] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      await events.send(new RemoveTargetsCommand({ ...subscription, Ids: ['helpdesk'] }));
      await events.send(new DeleteRuleCommand({ Name: subscription.Rule, EventBusName: subscription.EventBusName }));
      events.destroy();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  }, 60_000);
});

describe('local stack: nothing lost, nothing left running', () => {
  it('answers every mail once after kill -9 right after the SMTP 250, on the next start', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ota-e2e-kill-'));
    const first = await startLocalStack({ OTA_DATA_DIR: dir, OTA_LOCAL_RETRY_DELAYS_MS: '500,1000' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: first.port('smtp'), secure: false, ignoreTLS: true });
    const senders = Array.from({ length: 10 }, (_, i) => `crash${i}@example.net`);

    // Act: ten mails accepted with 250, then the stack dies at once, mid-delivery.
    for (const from of senders) await smtp.sendMail({ from, to: 'support@localhost', subject: `Crash ${from}`, text: 'x' });
    await first.kill();
    // The killed stack's address stays behind: the CLI says the stack is gone, not "cannot reach".
    const stale = await ota(['ticket', 'list'], dir);
    const second = await startLocalStack({ OTA_DATA_DIR: dir, OTA_LOCAL_RETRY_DELAYS_MS: '500,1000' });

    // Assert: each answered exactly once. The first run's outbox died with it, so "once" is read off
    // the table: one replied delivery and one sent token per sender (a second reply mints a second token).
    try {
      const replied = async () => (await deliveries(second)).filter((d) => senders.includes(String(d.sender)) && d.status === 'replied');
      await eventually(async () => ((await replied()).length === senders.length ? true : undefined), 'a reply to every mail', 30_000);
      const tokens = (await tableItems(second, 'token')).filter((t) => senders.includes(String(t.customerLogin)));
      expect(tokens.map((t) => t.customerLogin).sort()).toEqual([...senders].sort());
      expect(tokens.every((t) => typeof t.sentAt === 'string')).toBe(true);
      for (const from of senders) expect((await deliveries(second)).filter((d) => d.sender === from)).toHaveLength(1);
      // The last mail at least was killed mid-flight: the second start found it and delivered it.
      expect(second.output()).toMatch(/recovering \d+ mail/);
      expect(stale.code).toBe(3);
      expect(stale.stderr).toContain(`The local stack recorded in ${join(dir, 'stack.json')} (process ${first.child.pid}`);
      expect(stale.stderr).toContain('is not running any more — start it again with `npm start`');
    } finally {
      await second.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('stops everything when the PID `npm start` was given gets SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ota-e2e-npm-'));
    const viaNpm = await startLocalStack({ OTA_DATA_DIR: dir }, 'npm');
    const smtpPort = viaNpm.port('smtp');
    expect(await portOpen(smtpPort)).toBe(true);

    await viaNpm.stop();

    try {
      await eventually(async () => ((await portOpen(smtpPort)) ? undefined : true), 'the SMTP port to close', 10_000);
      await eventually(async () => ((await portOpen(viaNpm.port('dynamodb'))) ? undefined : true), 'the DynamoDB port to close', 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

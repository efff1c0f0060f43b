import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { inboundHarness, TEST_CONFIG } from '../support/inbound.js';
import { mime } from '../support/mail.js';
import { useLocalSystem } from '../support/system.js';
import { run } from '../../cli/ota.js';
import { parseConfig } from '../../shared/config.js';
import { storedCopy } from '../../local/smtp-inbound.js';
import { writeStackAddress } from '../../local/stack-address.js';
import { buildInboundDeps } from '../../functions/inbound-mail/deps.js';
import { makeHandler } from '../../functions/inbound-mail/handler.js';
import { RecordingLogger } from '../support/fakes.js';

const HOUR = 3_600_000;
// The stack's Lambda Invoke API, running the inbound handler built by its own factory.
const { peers, lambda } = useLocalSystem({
  lambda: ({ peers }) => {
    const inbound = makeHandler(buildInboundDeps(peers.env, { config: parseConfig(TEST_CONFIG), logger: new RecordingLogger() }));
    return { 'inbound-mail': (event, context) => inbound(event, context) };
  },
});
let h: ReturnType<typeof inboundHarness>;
let aliceTicket: string;
let aliceCreatedAt: string;
let bobTicket: string;

beforeAll(async () => {
  // Prepare: real mail through the real inbound use case — alice first, bob an hour later.
  h = inboundHarness(peers);
  // The raw-mail emulator stamps objects with the real time, so the deliveries must be recent too.
  // (whole seconds, so the CLI's table shows the same instant as the assertions below)
  h.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000).toISOString());
  aliceCreatedAt = h.clock.now().toISOString();
  await h.deliver('cli-a1', await mime({ from: 'Alice <Alice@cli.example>', subject: 'Printer on fire', text: 'Help!' }));
  h.clock.advance(HOUR);
  await h.deliver('cli-b1', await mime({ from: 'bob@cli.example', subject: 'VPN down', text: 'No tunnel', attachments: [{ filename: 'log.txt', content: 'abc' }] }));
  const tickets = await h.entities('ticket');
  aliceTicket = String(tickets.find((t) => t.customerLogin === 'alice@cli.example')?.number);
  bobTicket = String(tickets.find((t) => t.customerLogin === 'bob@cli.example')?.number);
});

const localEnv = (): NodeJS.ProcessEnv => ({
  OTA_DYNAMODB_PORT: String(peers.dynamo.port),
  OTA_TABLE_NAME: peers.table,
  OTA_S3_PORT: String(peers.s3.port),
  OTA_RAW_MAIL_BUCKET: peers.bucket,
  OTA_LAMBDA_PORT: String(lambda.port),
});

async function ota(args: string[], env: NodeJS.ProcessEnv = localEnv(), now = () => h.clock.now()) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env, now });
  return { code, stdout, stderr };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ota customer', () => {
  it('lists customers alphabetically in an aligned table', async () => {
    const { code, stdout, stderr } = await ota(['customer', 'list']);

    expect([code, stderr]).toEqual([0, '']);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^LOGIN\s+EMAIL\s+LANG\s+DISABLED\s+SOURCE\s+CREATED$/);
    expect(lines[1]).toMatch(/^alice@cli\.example\s+alice@cli\.example\s+en\s+no\s+mail\s+(\S+)$/);
    expect(lines[1]?.split(/\s+/).at(-1)).toBe(aliceCreatedAt);
    expect(lines[2]).toMatch(/^bob@cli\.example\s+/);
    expect(lines[1]?.indexOf('en ')).toBe(lines[0]?.indexOf('LANG'));
    expect(stdout).toContain('2 customers');
  });

  it('prints only a JSON array with --json', async () => {
    const { code, stdout } = await ota(['customer', 'list', '--json']);

    expect(code).toBe(0);
    const customers = JSON.parse(stdout) as Record<string, unknown>[];
    expect(customers.map((c) => c.login)).toEqual(['alice@cli.example', 'bob@cli.example']);
    expect(customers[0]).toMatchObject({ email: 'alice@cli.example', language: 'en', disabled: false, source: 'mail', createdAt: aliceCreatedAt });
    expect(customers[0]).not.toHaveProperty('pk');
  });

  it('shows one customer and their tickets, whatever the case of the login typed', async () => {
    const human = await ota(['customer', 'show', 'ALICE@cli.example']);
    const json = await ota(['customer', 'show', 'Alice@CLI.example', '--json']);

    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Customer alice@cli.example');
    expect(human.stdout).toMatch(/Email\s+alice@cli\.example/);
    expect(human.stdout).toContain('Tickets (1)');
    expect(human.stdout).toContain(aliceTicket);
    expect(human.stdout).not.toContain(bobTicket);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ login: 'alice@cli.example', tickets: [{ number: aliceTicket, title: 'Printer on fire' }] });
  });

  it('exits 1 with a message on stderr for an unknown customer', async () => {
    const { code, stdout, stderr } = await ota(['customer', 'show', 'nobody@x', '--json']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('No customer nobody@x\n');
  });
});

describe('ota ticket', () => {
  it('lists tickets newest first, as a table and as JSON', async () => {
    const human = await ota(['ticket', 'list']);
    const json = await ota(['ticket', 'list', '--json']);

    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NUMBER\s+STATE\s+CUSTOMER\s+CREATED\s+UPDATED\s+TITLE$/);
    expect(lines[1]).toMatch(new RegExp(`^${bobTicket}\\s+new\\s+bob@cli\\.example\\s+.*VPN down$`));
    expect(lines[2]).toMatch(new RegExp(`^${aliceTicket}\\s+new\\s+alice@cli\\.example\\s+.*Printer on fire$`));
    expect((JSON.parse(json.stdout) as { number: string }[]).map((t) => t.number)).toEqual([bobTicket, aliceTicket]);
  });

  it('narrows the list with --customer and --state', async () => {
    const byCustomer = await ota(['ticket', 'list', '--customer', 'BOB@cli.example', '--json']);
    const byState = await ota(['ticket', 'list', '--state', 'closed', '--json']);
    const both = await ota(['ticket', 'list', '--customer', 'alice@cli.example', '--state', 'new']);

    expect((JSON.parse(byCustomer.stdout) as { number: string }[]).map((t) => t.number)).toEqual([bobTicket]);
    expect(JSON.parse(byState.stdout)).toEqual([]);
    expect(both.stdout).toContain(aliceTicket);
    expect(both.stdout).not.toContain(bobTicket);
  });

  it('shows a ticket with its articles and attachments', async () => {
    const { code, stdout } = await ota(['ticket', 'show', bobTicket]);

    expect(code).toBe(0);
    expect(stdout).toContain(`Ticket ${bobTicket} — VPN down`);
    expect(stdout).toContain('Articles (1)');
    expect(stdout).toContain('No tunnel');
    expect(stdout).toMatch(/Attachments\s+log\.txt \(text\/plain, 3 bytes\)/);
  });

  it("summarises the ticket's tokens: active, then superseded after a follow-up, expired when old", async () => {
    const before = await ota(['ticket', 'show', aliceTicket, '--json']);
    h.clock.advance(HOUR);
    await h.deliver('cli-a2', await mime({ from: 'alice@cli.example', subject: `Re: [Ticket#${aliceTicket}] Printer on fire`, text: 'Still burning' }));
    const after = await ota(['ticket', 'show', aliceTicket, '--json']);
    const human = await ota(['ticket', 'show', aliceTicket]);
    const later = await ota(['ticket', 'show', aliceTicket, '--json'], localEnv(), () => new Date('2027-06-01T00:00:00Z'));

    type Shown = { articles: unknown[]; tokens: { state: string; purpose: string; hashPrefix: string; sentAt?: string }[] };
    expect((JSON.parse(before.stdout) as Shown).tokens.map((t) => t.state)).toEqual(['active']);
    const shown = JSON.parse(after.stdout) as Shown;
    expect(shown.articles).toHaveLength(2);
    expect(shown.tokens.map((t) => [t.state, t.purpose])).toEqual([
      ['superseded', 'auto-reply'],
      ['active', 'auto-reply'],
    ]);
    expect(shown.tokens[0]?.hashPrefix).toHaveLength(8);
    expect(shown.tokens.every((t) => t.sentAt)).toBe(true);
    expect(human.stdout).toMatch(/Tokens \(2\)\n\s+HASH\s+PURPOSE\s+STATE\s+CREATED\s+SENT\s+EXPIRES\s+USED/);
    expect(human.stdout).toMatch(/superseded[\s\S]*active/);
    expect(human.stdout).toContain('Still burning');
    expect((JSON.parse(later.stdout) as Shown).tokens.map((t) => t.state)).toEqual(['expired', 'expired']);
  });

  it('never prints a token hash in full', async () => {
    const hashes = (await h.entities('token')).map((t) => String(t.hash));
    expect(hashes.length).toBeGreaterThan(0);

    const outputs = await Promise.all([
      ota(['ticket', 'show', aliceTicket]),
      ota(['ticket', 'show', aliceTicket, '--json']),
      ota(['ticket', 'list', '--json']),
      ota(['customer', 'show', 'alice@cli.example', '--json']),
    ]);

    const all = outputs.map((o) => o.stdout + o.stderr).join('\n');
    for (const hash of hashes) expect(all).not.toContain(hash);
    expect(all).not.toContain('activeTokenHash');
  });

  it('exits 1 for an unknown ticket', async () => {
    const { code, stderr } = await ota(['ticket', 'show', '19990101000001']);

    expect(code).toBe(1);
    expect(stderr).toBe('No ticket 19990101000001\n');
  });
});

describe('ota usage and targets', () => {
  it.each([
    [['help']],
    [['--help']],
    [['-h']],
    [[]],
  ])('prints the usage for %j', async (args) => {
    const { code, stdout } = await ota(args);

    expect(code).toBe(0);
    for (const text of ['customer list', 'customer show <login>', 'ticket list', 'ticket show <number>', '--json', '--aws', '--table', 'OTA_TABLE_NAME', 'outputs']) expect(stdout).toContain(text);
  });

  it.each([
    [['tickets', 'list'], 'Unknown command "tickets list"'],
    [['ticket', 'delete'], 'Unknown command "ticket delete"'],
    [['ticket'], '"ticket" needs a subcommand'],
    [['ticket', 'show'], '"ticket show" needs <number>'],
    [['ticket', 'show', '1', '2'], 'unexpected "2"'],
    [['customer', 'list', '--verbose'], "Unknown option '--verbose'"],
    [['customer', 'list', '--state', 'open'], '--state does not apply to "customer list"'],
    [['ticket', 'list', '--customer'], "Option '--customer <value>' argument missing"],
    [['ticket', 'list', '--state', 'burning'], 'Unknown ticket state "burning"; use one of: new, open, pending, closed, merged, removed'],
    [['customer', 'list', '--aws'], 'pass --table <name> or set OTA_TABLE_NAME'],
  ])('exits 2 for %j with a hint to the usage', async (args, message) => {
    const env = { OTA_DYNAMODB_PORT: String(peers.dynamo.port) }; // no OTA_TABLE_NAME: --aws must ask for it

    const { code, stdout, stderr } = await ota(args, env);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Run `npm run ota -- help` for usage.');
  });

  it('exits 2 for a bad OTA_DYNAMODB_PORT, naming it', async () => {
    const { code, stderr } = await ota(['customer', 'list'], { OTA_DYNAMODB_PORT: 'eighty' });

    expect(code).toBe(2);
    expect(stderr).toContain('OTA_DYNAMODB_PORT must be a port number');
  });

  it('finds a stack on ports of its own choosing through the address it recorded, and says when that stack is gone', async () => {
    // Prepare: a data directory whose stack.json names this suite's peers, as a stack on port 0 writes it.
    const dir = mkdtempSync(join(tmpdir(), 'ota-cli-address-'));
    const ports = { http: 1, smtp: 1, ses: 1, events: 1, dynamodb: peers.dynamo.port, s3: peers.s3.port, lambda: lambda.port };
    const record = (pid: number) => writeStackAddress(dir, { pid, startedAt: '2026-12-02T10:00:00.000Z', host: '127.0.0.1', ports, portal: 'http://localhost:1', eventBusName: 'Ota-events' });
    const env = { OTA_DATA_DIR: dir, OTA_TABLE_NAME: peers.table, OTA_RAW_MAIL_BUCKET: peers.bucket };
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;

    try {
      // Act + Assert: found without a single port in the environment
      record(process.pid);
      const found = await ota(['customer', 'list', '--json'], env);
      expect(found.code).toBe(0);
      expect(JSON.parse(found.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'alice@cli.example' })]));

      // A record left by a stack that was killed: the message says so and what to do.
      record(gone);
      const stale = await ota(['customer', 'list'], env);
      expect(stale.code).toBe(3);
      expect(stale.stderr).toBe(
        `The local stack recorded in ${join(dir, 'stack.json')} (process ${gone}, started 2026-12-02T10:00:00.000Z) is not running any more — start it again with \`npm start\`, or delete that file to use the default ports.\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 3 when the local DynamoDB does not answer', async () => {
    const port = await closedPort();

    const { code, stdout, stderr } = await ota(['customer', 'list', '--json'], { OTA_DYNAMODB_PORT: String(port) });

    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Cannot reach the local stack at http://127.0.0.1:${port} — is \`npm start\` running?\n`);
  });

  it('exits 3 when the table does not exist', async () => {
    const { code, stderr } = await ota(['ticket', 'list'], { OTA_DYNAMODB_PORT: String(peers.dynamo.port), OTA_TABLE_NAME: 'no-such-table' });

    expect(code).toBe(3);
    expect(stderr).toContain('Table no-such-table does not exist');
  });

  it.each([
    ['node --import tsx cli/ota.ts, the command behind `npm run ota`', ['--import', 'tsx', 'cli/ota.ts']],
    ['the package bin (`npx ota`)', ['bin/ota.mjs']],
  ])('runs as %s, printing nothing but the JSON on stdout', async (_label, args) => {
    const env = { ...process.env, ...localEnv(), OTA_TARGET: '' };

    const { stdout } = await promisify(execFile)(process.execPath, [...args, 'customer', 'list', '--json'], { env, timeout: 20_000 });

    expect((JSON.parse(stdout) as { login: string }[]).map((c) => c.login)).toEqual(['alice@cli.example', 'bob@cli.example']);
  });
});

describe('ota delivery', () => {
  it('lists deliveries newest first, with what happened to each', async () => {
    const { code, stdout } = await ota(['delivery', 'list', '--json']);

    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { deliveryId: string; status: string }[];
    expect(listed.map((d) => [d.deliveryId, d.status])).toEqual(expect.arrayContaining([['cli-a1', 'replied'], ['cli-b1', 'replied']]));
    expect(listed.findIndex((d) => d.deliveryId === 'cli-b1')).toBeLessThan(listed.findIndex((d) => d.deliveryId === 'cli-a1'));
    const human = await ota(['delivery', 'list']);
    expect(human.stdout).toMatch(/\n\d+ deliveries\n$/);
    expect(human.stdout).not.toContain('deliverys');
  });

  it('finds a stored mail no invocation ever handled, replays it through the function once, and then no longer lists it', async () => {
    // Prepare: the receipt rule stored a mail (with its SES trace), but the function never ran for it.
    const raw = storedCopy(await mime({ from: 'lost@cli.example', subject: 'Lost', text: 'Anyone?' }), 'clilost1', new Date(), { from: 'lost@cli.example', to: ['support@localhost'] });
    await peers.putRawMail('inbound/clilost1', raw);
    const inAnHour = () => new Date(Date.now() + HOUR);

    // Act
    const stuck = await ota(['delivery', 'list', '--stuck', '--json'], localEnv(), inAnHour);
    const justStored = await ota(['delivery', 'list', '--stuck', '--json'], localEnv(), () => new Date());
    const replay = await ota(['delivery', 'replay', 'clilost1']);
    const again = await ota(['delivery', 'replay', 'clilost1']);
    const after = await ota(['delivery', 'list', '--stuck'], localEnv(), inAnHour);

    // Assert
    expect(JSON.parse(stuck.stdout)).toEqual([expect.objectContaining({ deliveryId: 'clilost1', status: 'missing' })]);
    expect(JSON.parse(justStored.stdout)).toEqual([]); // younger than a lease: its invocation may still be coming
    expect([replay.code, replay.stdout]).toEqual([0, 'Replayed clilost1: replied\n']);
    expect(again.stdout).toBe('Replayed clilost1: duplicate\n');
    expect(after.stdout).toBe('No stuck mail.\n');
    expect(await peers.outbox('lost@cli.example')).toHaveLength(1);
  });

  it('exits 1 for a mail that was never stored, and 2 for something that is no SES id', async () => {
    expect(await ota(['delivery', 'replay', 'nosuchmail'])).toMatchObject({ code: 1, stderr: expect.stringContaining('No raw mail for nosuchmail') });
    expect(await ota(['delivery', 'replay', '../etc/passwd'])).toMatchObject({ code: 2 });
  });
});

/**
 * The ops CLI's write commands (docs/operations.md, "Ops CLI") as ops run them against the local
 * stack: each command invokes the helpdesk-events or sweep function through the stack's Lambda
 * Invoke API, and the links it affects are then clicked over HTTP — against dynalite, the SES
 * emulator and the local bus.
 * A link's life from the CLI: close, sweep as of N−1 and N+1 days, reopen, reply.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { buildEventsDeps } from '../../functions/helpdesk-events/deps.js';
import { makeHandler as makeEventsHandler } from '../../functions/helpdesk-events/handler.js';
import { buildSweepDeps } from '../../functions/sweep/deps.js';
import { makeHandler as makeSweepHandler } from '../../functions/sweep/handler.js';
import { run } from '../../cli/ota.js';
import { hashToken } from '../../shared/domain/tokens.js';
import { OPEN_FLUSH_MS } from '../../shared/domain/open-tally.js';
import { latestLink, sharedDeps } from '../support/portal.js';
import { useLocalSystem } from '../support/system.js';

const DAY = 86_400_000;
const { peers, portal, lambda } = useLocalSystem({
  portal: {},
  lambda: ({ peers, portal }) => {
    const shared = sharedDeps(peers, portal);
    const events = makeEventsHandler(buildEventsDeps(peers.env, shared));
    const sweep = makeSweepHandler(buildSweepDeps(peers.env, shared));
    return { 'helpdesk-events': (e, c) => events(e, c), sweep: (e, c) => sweep(e, c) };
  },
});

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `o${++n}@ops.example`;
});

async function ota(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { OTA_DYNAMODB_PORT: String(peers.dynamo.port), OTA_TABLE_NAME: peers.table, OTA_S3_PORT: String(peers.s3.port), OTA_RAW_MAIL_BUCKET: peers.bucket, OTA_LAMBDA_PORT: String(lambda.port) };
  const code = await run(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env, now: () => portal.clock.now() });
  return { code, stdout, stderr };
}

const clickStatus = async (path: string) => (await portal.browser().post(path)).status;

describe('ticket close, sweep, reopen, reply — the life of a link from the CLI', () => {
  it('sweep labels the as-of time and the cutoff each as what it is', async () => {
    // Act: a moment long before any ticket of this suite, so nothing is swept
    const { code, stdout } = await ota('sweep', '--now', '2026-01-16T17:00Z');

    // Assert: the cutoff is AccessDaysAfterClose (14) days before the as-of time, and labelled so.
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Sweep as of 2026-01-16T17:00:00.000Z');
    expect(lines[1]).toMatch(/^ {2}Cutoff +2026-01-02T17:00:00\.000Z \(tickets closed at or before it lose their tokens\)$/);
    expect(stdout).not.toContain('as of 2026-01-02');
  });

  it('keeps a closed ticket’s link working until the sweep as of close + AccessDaysAfterClose + 1 day removes it', async () => {
    // Prepare: a ticket with a mailed link, closed now.
    const link = await portal.mailIn(customer, 'Close me from the CLI');
    const closedAt = portal.clock.now();
    const window = portal.config.AccessDaysAfterClose;
    const asOf = (days: number) => new Date(closedAt.getTime() + days * DAY).toISOString();

    // Act + Assert, step by step as ops would
    expect(await ota('ticket', 'close', link.ticketNumber)).toMatchObject({ code: 0 });
    const early = await ota('sweep', '--now', asOf(window - 1), '--json');
    expect(JSON.parse(early.stdout)).toMatchObject({ ticketsExamined: 0, tokensDeleted: 0, complete: true });
    const tokenOf = () => portal.deps.tokens.get(link.ticketNumber, hashToken(link.token));
    expect(await tokenOf()).toBeDefined(); // nothing was swept

    const late = await ota('sweep', '--now', asOf(window + 1), '--json');
    expect(JSON.parse(late.stdout)).toMatchObject({ ticketsExamined: 1, tokensDeleted: 1, complete: true });
    expect(await tokenOf()).toBeUndefined();
    expect(await clickStatus(link.path)).toBe(410); // LinkExpired: its token is gone

    // Reopening revives access: a new link (ops) works again.
    expect(await ota('ticket', 'reopen', link.ticketNumber)).toMatchObject({ code: 0 });
    const sent = await ota('link', 'send', link.ticketNumber);
    expect(sent).toMatchObject({ code: 0, stdout: expect.stringContaining(customer) });
    const fresh = await latestLink(peers, customer);
    expect(fresh.token).not.toBe(link.token);
    expect(await clickStatus(fresh.path)).toBe(303);
  });

  it('a link of a closed ticket still opens within the window when the sweep ran as of N − 1 days', async () => {
    const link = await portal.mailIn(customer, 'Still open to me');
    await ota('ticket', 'close', link.ticketNumber);

    await ota('sweep', '--now', new Date(portal.clock.now().getTime() + (portal.config.AccessDaysAfterClose - 1) * DAY).toISOString());

    expect(await clickStatus(link.path)).toBe(303);
  });

  it('ticket reply mails the customer the text with a fresh link, and the older link then answers WrongLink', async () => {
    const link = await portal.mailIn(customer, 'Answer me');

    const replied = await ota('ticket', 'reply', link.ticketNumber, '--text', 'We are on it.\\nHang on.', '--from', 'Bo at Support');

    expect(replied).toMatchObject({ code: 0, stdout: `Reply added to ticket ${link.ticketNumber} and mailed with a fresh link\n` });
    const reply = await latestLink(peers, customer);
    expect(reply.count).toBe(2);
    expect(reply.mail.body.text).toContain('We are on it.\nHang on.');
    expect(await clickStatus(link.path)).toBe(409);
    expect(await clickStatus(reply.path)).toBe(303);
  });

  it('ticket merge --into ends the source ticket’s link; remove ends its own', async () => {
    const source = await portal.mailIn(customer, 'Duplicate');
    const target = await portal.mailIn(customer, 'Original');
    const removed = await portal.mailIn(`r-${customer}`, 'Spam');

    expect(await ota('ticket', 'merge', source.ticketNumber, '--into', target.ticketNumber)).toMatchObject({ code: 0 });
    expect(await ota('ticket', 'remove', removed.ticketNumber)).toMatchObject({ code: 0 });

    expect(await clickStatus(source.path)).toBe(410);
    expect(await clickStatus(removed.path)).toBe(410);
    expect(await clickStatus(target.path)).toBe(303);
  });

  it('customer disable ends links at once and link send refuses with exit 4; enable lets a new link work', async () => {
    const link = await portal.mailIn(customer, 'Disable me');

    expect(await ota('customer', 'disable', customer)).toMatchObject({ code: 0 });
    const refused = await ota('link', 'send', link.ticketNumber);
    const click = await clickStatus(link.path);
    expect(await ota('customer', 'enable', customer)).toMatchObject({ code: 0 });
    const sent = await ota('link', 'send', link.ticketNumber);

    expect(refused).toMatchObject({ code: 4, stderr: expect.stringContaining('the customer is disabled') });
    expect(click).toBe(410);
    expect(sent.code).toBe(0);
    expect(await clickStatus((await latestLink(peers, customer)).path)).toBe(303);
    expect(await peers.outbox(customer)).toHaveLength(2);
  });

  it('link send refuses a ticket closed longer than AccessDaysAfterClose (exit 4), and a missing one (exit 1)', async () => {
    const link = await portal.mailIn(customer, 'Long closed');
    await ota('ticket', 'close', link.ticketNumber);
    portal.clock.advance((portal.config.AccessDaysAfterClose + 1) * DAY);

    const refused = await ota('link', 'send', link.ticketNumber);
    const missing = await ota('link', 'send', '20990101999999');

    expect(refused).toMatchObject({ code: 4, stderr: expect.stringContaining('closed longer than AccessDaysAfterClose') });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('No ticket 20990101999999') });
    expect(await peers.outbox(customer)).toHaveLength(1);
  });

  it('ticket audit shows the whole trail, and --json the entries without a token, session id or full address', async () => {
    const link = await portal.mailIn(customer, 'Audit me');
    const browser = portal.browser();
    await browser.get(link.path);
    portal.clock.advance(OPEN_FLUSH_MS);
    await browser.get(link.path); // opened again within the hour: one entry, counted (written once OPEN_FLUSH_MS passed)
    await browser.post(link.path);
    await portal.browser().post('/code', { ticketNumber: link.ticketNumber, code: link.code }); // the code of the mail used too
    await portal.browser().post(link.path); // someone clicks it again: refused, a refresh is mailed

    const table = await ota('ticket', 'audit', link.ticketNumber);
    const json = await ota('ticket', 'audit', link.ticketNumber, '--json');

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Access trail of ticket \d+ \(\d+ entries\)\nAT\s+EVENT\s+DETAIL\s+CLIENT\n/);
    const events = (JSON.parse(json.stdout) as { event: string }[]).map((e) => e.event).sort();
    expect(events).toEqual(['code-used', 'link-mailed', 'link-minted', 'link-minted', 'link-opened', 'link-refused', 'link-used', 'refresh-mailed']);
    expect((JSON.parse(json.stdout) as { event: string; count?: number }[]).find((e) => e.event === 'link-opened')?.count).toBe(2);
    expect(table.stdout).toMatch(/link-opened\s+2×, last /);
    // A counted refusal says its reason and how often.
    expect(table.stdout).toMatch(/link-refused\s+CustomerErrorMessageNewLink; 1×, last /);
    expect(json.stdout).not.toContain(link.token);
    expect(json.stdout).not.toContain(browser.cookies.get('ota_session'));
    expect(json.stdout).not.toMatch(/127\.0\.0\.1/);
  });
});

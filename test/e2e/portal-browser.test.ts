/**
 * The customer's journey end to end: `npm start`'s stack in a child process, a mail in over SMTP,
 * the auto-reply's link read back from the SES emulator, and real Chromium following it — landing
 * page, button, ticket, reply, ticket list, sign-out, the spent link asking for the mail's code,
 * and, once the code is used too, for a new link. And a mail scanner that presses the button
 * before the person does (docs/links-and-portal.md, "Sign-in codes").
 *
 * Every page is checked with axe (WCAG 2.1 A/AA) and the whole journey listens for dialogs, page
 * errors and console errors: the hostile subject and body must arrive as text, never as markup.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { run } from '../../cli/ota.js';
import { launchBrowser, runAxe } from '../support/browser.js';
import { eventually, startLocalStack, type RunningStack } from '../support/local-stack.js';
import { sesOutbox, type OutboxEmail } from '../support/peers.js';

const TIMEOUT = 180_000;
const CUSTOMER = 'dana@example.net';
const SUBJECT = 'Printer on fire <b>now</b>';
const LINE_1 = 'The printer in room 4.12 is smoking.';
const LINE_2 = 'It started after the update this morning.';
const HOSTILE_LINE = `<script>globalThis.otaPwned = true; alert('xss')</script><img src=x onerror="alert('img')">`;
const REPLY_1 = 'Now there are flames as well.';
const REPLY_2 = 'Please hurry.';
const NEW_LINK_MESSAGE = 'This link was already used, and its sign-in code too — a new link and code have been sent to your email address.';
const CODE_OFFERED = 'This link was already used — by you, or perhaps by your email program’s security check.';
const CODE = /\b([2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4})\b/;
const PERSON_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SCANNER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36';
const WRONG_LINK_MESSAGE = 'For security reasons you must use the newest link we sent you to access this ticket.';
const LINK = /http:\/\/localhost:(\d+)\/link\/(\d{14})\/([A-Za-z0-9_-]{43})/;

const dataDir = mkdtempSync(join(tmpdir(), 'ota-e2e-browser-'));
let stack: RunningStack | undefined;
let browser: Browser | undefined;
// Contexts for the file, closed only with the browser: with sparticuz's --single-process flag,
// closing a context ends the browser. The scanner's is a second browser with cookies of its own.
let context: BrowserContext;
let scannerContext: BrowserContext;
let personContext: BrowserContext;

beforeAll(async () => {
  // INFO logs: a failure then shows why the function answered as it did (see the catch below).
  stack = await startLocalStack({ OTA_DATA_DIR: dataDir, OTA_LOCAL_RETRY_DELAYS_MS: '500,1000', POWERTOOLS_LOG_LEVEL: 'INFO' });
  browser = await launchBrowser();
  // A person's Chrome: headless Chromium's own User-Agent says HeadlessChrome, which the trail words as an automated browser.
  context = await browser.newContext({ userAgent: PERSON_AGENT, viewport: { width: 1280, height: 900 } });
  scannerContext = await browser.newContext({ userAgent: SCANNER_AGENT });
  personContext = await browser.newContext({ userAgent: PERSON_AGENT, viewport: { width: 1280, height: 900 } });
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (stack) {
    // SIGTERM first; a stack that does not stop in time is killed, so no port outlives the test.
    const s = stack;
    const force = setTimeout(() => void s.kill(), 10_000);
    await s.stop();
    clearTimeout(force);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

interface MailLink {
  url: string;
  path: string;
  port: number;
  ticketNumber: string;
  token: string;
}

/** The mails the stack's SES emulator accepted for `address`, oldest first. */
const outboxFor = (s: RunningStack, address: string): Promise<OutboxEmail[]> => sesOutbox(s.urls.ses, address);

function linkIn(mail: OutboxEmail): MailLink {
  const m = LINK.exec(mail.body.text ?? '');
  if (!m) throw new Error(`no one-time link in the mail "${mail.subject}":\n${mail.body.text}`);
  const [url, port, ticketNumber, token] = m as unknown as [string, string, string, string];
  return { url, path: new URL(url).pathname, port: Number(port), ticketNumber, token };
}

/** What the browser reported that a correct page never causes: dialogs, uncaught errors, console errors (CSP refusals among them). */
interface Incidents {
  dialogs: string[];
  pageErrors: string[];
  consoleErrors: string[];
}

function watch(page: Page): Incidents {
  const incidents: Incidents = { dialogs: [], pageErrors: [], consoleErrors: [] };
  page.on('dialog', (d) => {
    incidents.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => incidents.pageErrors.push(e.message));
  page.on('console', (m) => {
    // A page answered 403/409/410 is logged by Chromium as a failed load: that is the status, not a problem in the page.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of (403|409|410)/.test(m.text())) incidents.consoleErrors.push(m.text());
  });
  return incidents;
}

/** The page's main text as a person sees it. */
const mainText = (page: Page) => page.locator('main').innerText();

/**
 * Runs a browser action that loads a new document and waits until that document has loaded.
 * (A POST answered in place keeps the URL, so waiting for a URL would not tell the pages apart.)
 */
async function navigation(page: Page, act: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), act()]);
  await page.waitForLoadState('load');
}

/** Clicks a form's submit button (a real click) and returns the answer to the form's POST to `path`, redirect or page. */
async function submit(page: Page, button: string, path: string): Promise<Response> {
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
  await navigation(page, () => page.getByRole('button', { name: button }).click());
  return answer;
}

const pressLinkButton = (page: Page, link: MailLink) => submit(page, 'Open ticket', link.path);

/** Status and Location of a POST's answer, compared in one go so a failure shows both. */
async function answer(r: Response): Promise<{ status: number; location: string | undefined }> {
  return { status: r.status(), location: (await r.allHeaders()).location };
}

describe('the customer journey in Chromium against npm start', () => {
  it(
    'mail in, link out, landing page, ticket, reply, ticket list, sign-out, and the spent link that sends a new one',
    async () => {
      const s = stack!;
      const portal = s.urls.portal;
      const page = await context.newPage();
      const incidents = watch(page);
      try {
        // ── 1. A mail comes in over SMTP ──────────────────────────────────────────────
        // Prepare
        const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: s.port('smtp'), secure: false, ignoreTLS: true });

        // Act
        const sent = await smtp.sendMail({
          from: 'Dana Customer <dana@example.net>',
          to: 'support@localhost',
          subject: SUBJECT,
          text: `${LINE_1}\n${LINE_2}\n${HOSTILE_LINE}\n`,
        });

        // Assert: stored like SES would (250 once in S3); the function answers asynchronously.
        expect(sent.response).toMatch(/^250 Accepted as [0-9a-f]{40}$/);

        // ── 2. The auto-reply's link, read from the SES emulator ──────────────────────
        const autoReply = await eventually(async () => (await outboxFor(s, CUSTOMER))[0], 'the auto-reply in the SES outbox', 30_000);
        const link = linkIn(autoReply);
        const ticketNumber = link.ticketNumber;
        expect(autoReply.subject).toBe(`[Ticket#${ticketNumber}] ${SUBJECT}`);
        // PortalUrl is not configured: the link points at the port the stack listens on, so Chromium can follow it as it is.
        expect(link.port).toBe(s.port('http'));
        expect(new URL(link.url).origin).toBe(portal);

        // ── 3. Chromium opens the link: the landing page ──────────────────────────────
        // Act
        const landing = await page.goto(link.url, { waitUntil: 'load' });
        const landingHtml = (await landing?.text()) ?? '';
        const landingHeaders = (await landing?.allHeaders()) ?? {};
        const landingViolations = await runAxe(page);

        // Assert: the number and one button that POSTs back to the link; nothing a scanner could read about the ticket.
        expect(landing?.status()).toBe(200);
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Ticket ${ticketNumber}`);
        await expect(page.getByRole('button').count()).resolves.toBe(1);
        await expect(page.locator('form').getAttribute('method')).resolves.toBe('post');
        await expect(page.locator('form').getAttribute('action')).resolves.toBe(link.path);
        for (const secret of ['Printer on fire', LINE_1, LINE_2, 'otaPwned', CUSTOMER]) expect(landingHtml).not.toContain(secret);
        expect(landingViolations).toEqual([]);
        // A GET spends nothing, and starts no session: only the landing page's nonce (a double-click's second click follows the first in).
        expect((await context.cookies(portal)).map((c) => c.name)).toEqual(['ota_landing']);
        // Security headers of that navigation: never cached, no referrer leaks the token, no framing, no script at all.
        expect(landingHeaders['cache-control']).toBe('no-store');
        expect(landingHeaders['referrer-policy']).toBe('no-referrer');
        expect(landingHeaders['x-frame-options']).toBe('DENY');
        const csp = landingHeaders['content-security-policy'] ?? '';
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toMatch(/script-src|unsafe-inline/);

        // ── 4. A real click on the button: spent, signed in, on the ticket ────────────
        // Act
        const redeem = await answer(await pressLinkButton(page, link));
        const ticketViolations = await runAxe(page);
        const article = page.locator('article.message.inbound').first();
        const articleText = await article.locator('.message-text').innerText();

        // Assert: only the POST spends the link; it answers 303 to the ticket with a session cookie no page script could read.
        expect(redeem).toEqual({ status: 303, location: `/tickets/${ticketNumber}` });
        expect(page.url()).toBe(`${portal}/tickets/${ticketNumber}`);
        const session = (await context.cookies(portal)).find((c) => c.name === 'ota_session');
        expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
        // The subject and both body lines, the hostile parts as text: no <b>, <img> or <script> made it into the document.
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(SUBJECT);
        await expect(article.locator('.message-meta').innerText()).resolves.toContain(SUBJECT);
        expect(articleText).toContain(LINE_1);
        expect(articleText).toContain(LINE_2);
        expect(articleText).toContain(HOSTILE_LINE);
        await expect(page.locator('main b, main img, script').count()).resolves.toBe(0);
        await expect(page.evaluate(() => 'otaPwned' in globalThis)).resolves.toBe(false);
        expect(incidents).toEqual({ dialogs: [], pageErrors: [], consoleErrors: [] });
        expect(ticketViolations).toEqual([]);

        // ── 5. A reply through the form ───────────────────────────────────────────────
        // Act
        await page.getByLabel('Your reply').fill(`${REPLY_1}\n${REPLY_2}`);
        const reply = await answer(await submit(page, 'Send reply', `/tickets/${ticketNumber}/reply`));
        const replyViolations = await runAxe(page);
        const messages = page.locator('article.message');
        const replyText = await messages.last().locator('.message-text').innerText();

        // Assert: post/redirect/get — the POST stored the reply, and the ticket page the 303 leads to shows it as a second
        // message, with a confirmation screen readers announce (a status), signed with the customer's name as their mail was.
        expect(reply).toEqual({ status: 303, location: `/tickets/${ticketNumber}?reply=sent#reply-sent` });
        await expect(page.getByRole('status').innerText()).resolves.toBe('Your reply has been added to the ticket.');
        await expect(messages.last().locator('h3').innerText()).resolves.toMatch(/^Dana Customer · /);
        await expect(messages.count()).resolves.toBe(2);
        expect(replyText).toContain(REPLY_1);
        expect(replyText).toContain(REPLY_2);
        expect(replyViolations).toEqual([]);

        // ── 6. The ticket list ────────────────────────────────────────────────────────
        // Act
        await navigation(page, () => page.getByRole('link', { name: 'All my tickets' }).click());
        const listViolations = await runAxe(page);
        const listText = await mainText(page);

        // Assert: the signed-in customer's list holds the ticket, under its title, linking to its page.
        expect(page.url()).toBe(`${portal}/tickets`);
        await expect(page.getByRole('link', { name: SUBJECT }).getAttribute('href')).resolves.toBe(`/tickets/${ticketNumber}`);
        expect(listText).toContain(`Signed in as ${CUSTOMER}`);
        expect(listText).toContain(ticketNumber);
        expect(listViolations).toEqual([]);

        // ── 7. Sign out ───────────────────────────────────────────────────────────────
        // Act
        const signOut = await submit(page, 'Sign out', '/logout');
        const signedOutViolations = await runAxe(page);
        const signedOutHeading = await page.getByRole('heading', { level: 1 }).innerText();
        const cookiesAfterSignOut = await context.cookies(portal);
        const again = await page.goto(`${portal}/tickets/${ticketNumber}`, { waitUntil: 'load' });
        const againText = await mainText(page);

        // Assert: the session ends with its cookie, so the ticket's address shows the signed-out page, not the ticket.
        expect(signOut.status()).toBe(200);
        expect(signedOutHeading).toBe('You are signed out');
        expect(signedOutViolations).toEqual([]);
        expect(cookiesAfterSignOut.map((c) => c.name)).not.toContain('ota_session');
        expect(again?.status()).toBe(403);
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('You are signed out');
        expect(againText).not.toContain('Printer on fire');
        expect(againText).not.toContain(REPLY_1);

        // ── 8. The spent link again: it was used, so the page asks for the mail's code ──
        // Act
        await page.goto(link.url, { waitUntil: 'load' });
        const offered = await answer(await pressLinkButton(page, link));
        const offeredText = await mainText(page);
        const offeredViolations = await runAxe(page);

        // Assert: says what happened (not "session expired"), mails nothing, offers the code form.
        expect(offered).toEqual({ status: 409, location: undefined });
        expect(offeredText).toContain(CODE_OFFERED);
        expect(offeredText).not.toMatch(/session has expired/i);
        expect(offeredViolations).toEqual([]);
        expect(await outboxFor(s, CUSTOMER)).toHaveLength(1);

        // Act: the code of the same mail, typed in lower case with a space, then sign out again.
        const code = CODE.exec((await outboxFor(s, CUSTOMER))[0]!.body.text ?? '')![1]!;
        await page.getByLabel('Sign-in code').fill(code.toLowerCase().replace('-', ' '));
        const byCode = await answer(await submit(page, 'Sign in', '/code'));
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(SUBJECT);
        await submit(page, 'Sign out', '/logout');

        // Assert
        expect(byCode).toEqual({ status: 303, location: `/tickets/${ticketNumber}` });

        // ── 9. Link and code used: a new link is mailed, once ─────────────────────────
        // Act
        await page.goto(link.url, { waitUntil: 'load' });
        const refresh = await answer(await pressLinkButton(page, link));
        const newLinkText = await mainText(page);
        const newLinkViolations = await runAxe(page);
        const mails = await eventually(async () => {
          const all = await outboxFor(s, CUSTOMER);
          return all.length >= 2 ? all : undefined;
        }, 'the refresh mail in the SES outbox');

        // Assert: spent, and no newer link active → NewLink: a page in place (no redirect, no session) and one new mail with a new link.
        expect(refresh).toEqual({ status: 200, location: undefined });
        expect(newLinkText).toContain(NEW_LINK_MESSAGE);
        expect(newLinkViolations).toEqual([]);
        expect((await context.cookies(portal)).map((c) => c.name)).not.toContain('ota_session');
        expect(mails).toHaveLength(2);
        const refreshMail = mails[1]!;
        const newLink = linkIn(refreshMail);
        expect(refreshMail.subject).toBe(`[Ticket#${ticketNumber}] Your new access link`);
        expect(newLink.ticketNumber).toBe(ticketNumber);
        expect(newLink.token).not.toBe(link.token);

        // Act: the old link's button once more, now that a newer link was mailed.
        await page.goto(link.url, { waitUntil: 'load' });
        const wrong = await answer(await pressLinkButton(page, link));
        const wrongLinkText = await mainText(page);
        const wrongLinkViolations = await runAxe(page);

        // Assert: WrongLink — the customer has the newer link — and no further mail (the refresh is sent within the POST).
        expect(wrong).toEqual({ status: 409, location: undefined });
        expect(wrongLinkText).toContain(WRONG_LINK_MESSAGE);
        expect(wrongLinkViolations).toEqual([]);
        expect(await outboxFor(s, CUSTOMER)).toHaveLength(2);

        // Act: the new link opens the ticket.
        await page.goto(newLink.url, { waitUntil: 'load' });
        const redeemNew = await answer(await pressLinkButton(page, newLink));
        const reopenedViolations = await runAxe(page);

        // Assert
        expect(redeemNew).toEqual({ status: 303, location: `/tickets/${ticketNumber}` });
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(SUBJECT);
        await expect(page.locator('article.message').count()).resolves.toBe(2);
        expect(reopenedViolations).toEqual([]);
        // Nothing of the hostile mail ever ran, on any page of the journey.
        expect(incidents).toEqual({ dialogs: [], pageErrors: [], consoleErrors: [] });
      } catch (e) {
        throw withStackOutput(e, s);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );

  it(
    'a swept link’s page leads to the self-service form, whose new link opens the ticket, and the trail shows each step',
    async () => {
      const s = stack!;
      const portal = s.urls.portal;
      const page = await context.newPage();
      const incidents = watch(page);
      const customer = 'erin@example.net';
      try {
        // ── 1. A mail in; ops close the ticket and sweep as of a day past its window ────
        // Prepare
        const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: s.port('smtp'), secure: false, ignoreTLS: true });
        await smtp.sendMail({ from: `Erin <${customer}>`, to: 'support@localhost', subject: 'Heating broken', text: 'It is cold.' });
        const link = linkIn(await eventually(async () => (await outboxFor(s, customer))[0], 'the auto-reply in the SES outbox', 30_000));
        const cli = (...args: string[]) => ota(s, args);
        expect(await cli('ticket', 'close', link.ticketNumber)).toMatchObject({ code: 0 });
        const sweptAsOf = new Date(Date.now() + 15 * 86_400_000).toISOString();
        expect(JSON.parse((await cli('sweep', '--now', sweptAsOf, '--json')).stdout)).toMatchObject({ tokensDeleted: 1 });

        // ── 2. The swept link: LinkExpired, with a way to a new link ───────────────────
        // Act
        await page.goto(link.url, { waitUntil: 'load' });
        const expired = await answer(await pressLinkButton(page, link));
        const expiredText = await mainText(page);
        const expiredViolations = await runAxe(page);

        // Assert
        expect(expired).toEqual({ status: 410, location: undefined });
        expect(expiredText).toContain('Your link does not point to a ticket that is still valid.');
        expect(expiredViolations).toEqual([]);

        // ── 3. The self-service form ────────────────────────────────────────────────────
        // Act
        await navigation(page, () => page.getByRole('link', { name: 'Request a new link' }).click());
        const formViolations = await runAxe(page);
        await page.getByLabel('Ticket number').fill(link.ticketNumber);
        await page.getByLabel('Email address').fill(customer);
        const requested = await submit(page, 'Send me a new link', '/access');
        const sentText = await mainText(page);
        const sentViolations = await runAxe(page);
        const mails = await eventually(async () => {
          const all = await outboxFor(s, customer);
          return all.length >= 2 ? all : undefined;
        }, 'the self-service mail in the SES outbox');

        // Assert: the neutral page, then one new mail with a new link.
        expect(page.url()).toBe(`${portal}/access`);
        expect(formViolations).toEqual([]);
        expect(requested.status()).toBe(200);
        expect(sentText).toMatch(/we send a new link to your email address — at most one every 10 minutes/i);
        expect(sentViolations).toEqual([]);
        expect(mails).toHaveLength(2);
        const fresh = linkIn(mails[1]!);
        expect(fresh.ticketNumber).toBe(link.ticketNumber);
        expect(fresh.token).not.toBe(link.token);

        // ── 4. The new link opens the ticket, whose trail tells the story ───────────────
        // Act
        await page.goto(fresh.url, { waitUntil: 'load' });
        const opened = await answer(await pressLinkButton(page, fresh));
        const ticketText = await mainText(page);
        const ticketViolations = await runAxe(page);

        // Assert
        expect(opened).toEqual({ status: 303, location: `/tickets/${link.ticketNumber}` });
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Heating broken');
        // This browser's own steps read as the reader's (Chromium, from this network): no network shown.
        for (const step of ['New link created for our confirmation email', 'You requested a new link on the website — sent to your address', 'New link created on request from the website', 'You opened the link in Chrome', 'You signed in from Chrome']) {
          expect(ticketText).toContain(step);
        }
        expect(ticketText).not.toMatch(/127\.0\.0\.0|\/24/);
        expect(ticketViolations).toEqual([]);
        expect(incidents).toEqual({ dialogs: [], pageErrors: [], consoleErrors: [] });
      } catch (e) {
        throw withStackOutput(e, s);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );
});

describe('files on the ticket page in Chromium against npm start', () => {
  const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7) % 256))]);
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 2000 }, (_, i) => i % 200)]);
  const HTML = Buffer.from("<!doctype html><script>alert('ran'); globalThis.otaPwned = true</script><p>Hello</p>");

  it(
    'a mail with a PDF, an image and an HTML file: each downloads byte for byte, the HTML never renders; a reply with two files is listed and in CustomerReplied',
    async () => {
      const s = stack!;
      const page = await context.newPage();
      const incidents = watch(page);
      try {
        // ── 1. A mail with three files, its link, the ticket ─────────────────────────
        // Prepare
        const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: s.port('smtp'), secure: false, ignoreTLS: true });
        await smtp.sendMail({
          from: 'Frank Files <frank@example.net>',
          to: 'support@localhost',
          subject: 'Invoice and a photo',
          text: 'Both attached, and the page I saved.',
          attachments: [
            { filename: 'Rechnung März.pdf', content: PDF, contentType: 'application/pdf' },
            { filename: 'printer.png', content: PNG, contentType: 'image/png' },
            { filename: 'saved-page.html', content: HTML, contentType: 'text/html' },
          ],
        });
        const [mail] = await eventually(async () => {
          const all = await outboxFor(s, 'frank@example.net');
          return all.length ? all : undefined;
        }, 'the auto-reply in the SES outbox');
        const link = linkIn(mail!);
        await page.goto(link.url, { waitUntil: 'load' });
        await pressLinkButton(page, link);

        // Act
        const violations = await runAxe(page);
        const download = async (name: string) => {
          const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
          return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
        };
        const pdf = await download('Rechnung März.pdf');
        const png = await download('printer.png');
        const html = await download('saved-page.html');

        // Assert: downloads, exact, under their names; the HTML was saved, not opened (no script ran, the page stayed)
        expect(violations).toEqual([]);
        expect(pdf.name).toBe('Rechnung März.pdf');
        expect(pdf.bytes.equals(PDF)).toBe(true);
        expect(png.bytes.equals(PNG)).toBe(true);
        expect(html.bytes.equals(HTML)).toBe(true);
        expect(new URL(page.url()).pathname).toBe(`/tickets/${link.ticketNumber}`);
        await expect(page.evaluate(() => 'otaPwned' in globalThis)).resolves.toBe(false);

        // ── 2. A reply with two files through the form ───────────────────────────────
        // Act
        await page.getByLabel('Your reply').fill('Two more files.');
        await page.getByLabel('Files (optional)').setInputFiles([
          { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('line 1\nline 2\n') },
          { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
        ]);
        const reply = await answer(await submit(page, 'Send reply', `/tickets/${link.ticketNumber}/reply`));
        const afterViolations = await runAxe(page);
        const notes = await download('notes.txt');
        const published = await eventually(async () => {
          const { events } = (await (await fetch(`${s.urls.events}store`)).json()) as { events: { 'detail-type': string; detail: { ticketNumber: string; article: { files: { name: string; size: number }[] } } }[] };
          return events.find((e) => e['detail-type'] === 'CustomerReplied' && e.detail.ticketNumber === link.ticketNumber);
        }, 'CustomerReplied on the bus');

        // Assert
        expect(reply.status).toBe(303);
        expect(afterViolations).toEqual([]);
        expect(notes.bytes.toString()).toBe('line 1\nline 2\n');
        await expect(page.getByRole('link', { name: 'photo.png' }).count()).resolves.toBe(1);
        expect(published.detail.article.files.map((f) => [f.name, f.size])).toEqual([['notes.txt', 14], ['photo.png', PNG.length]]);
        expect(incidents).toEqual({ dialogs: [], pageErrors: [], consoleErrors: [] });
      } catch (e) {
        throw withStackOutput(e, s);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );
});

describe('a mail scanner that presses the button first, in Chromium against npm start', () => {
  it(
    'the scanner spends the link within a second; the person’s click mails nothing and asks for the code; the code opens the ticket',
    async () => {
      const s = stack!;
      const customer = 'finn@example.net';
      const scanner = await scannerContext.newPage();
      const page = await personContext.newPage();
      const incidents = watch(page);
      try {
        // ── 1. A mail in; a scanner's browser opens the link from the outbox and presses the button ──
        // Prepare
        const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: s.port('smtp'), secure: false, ignoreTLS: true });
        await smtp.sendMail({ from: `Finn <${customer}>`, to: 'support@localhost', subject: 'Scanner ate my link', text: 'Corporate mail.' });
        const mail = await eventually(async () => (await outboxFor(s, customer))[0], 'the auto-reply in the SES outbox', 30_000);
        const link = linkIn(mail);
        const code = CODE.exec(mail.body.text ?? '')![1]!;

        // Act: within a second of the mail, as a detonating sandbox does.
        await scanner.goto(link.url, { waitUntil: 'load' });
        const detonated = await answer(await pressLinkButton(scanner, link));

        // Assert
        expect(detonated).toEqual({ status: 303, location: `/tickets/${link.ticketNumber}` });

        // ── 2. The person clicks the spent link: nothing mailed, the code is asked for ──────
        // Act
        await page.goto(link.url, { waitUntil: 'load' });
        const clicked = await answer(await pressLinkButton(page, link));
        const offeredText = await mainText(page);
        const offeredViolations = await runAxe(page);

        // Assert
        expect(clicked).toEqual({ status: 409, location: undefined });
        expect(offeredText).toContain(CODE_OFFERED);
        expect(offeredViolations).toEqual([]);
        await expect(page.getByLabel('Ticket number').inputValue()).resolves.toBe(link.ticketNumber);
        expect(await outboxFor(s, customer)).toHaveLength(1);

        // ── 3. The code from the same mail, in lower case with a space, opens the ticket ──────
        // Act
        await page.getByLabel('Sign-in code').fill(code.toLowerCase().replace('-', ' '));
        const signedIn = await answer(await submit(page, 'Sign in', '/code'));
        const ticketText = await mainText(page);

        // Assert: the ticket, whose trail words the scanner's visit as an automated browser's.
        expect(signedIn).toEqual({ status: 303, location: `/tickets/${link.ticketNumber}` });
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Scanner ate my link');
        expect(ticketText).toContain('An automated browser signed in with the link');
        expect(ticketText).toContain('You signed in with the code from an email from Chrome');
        expect(await outboxFor(s, customer)).toHaveLength(1);
        expect(incidents).toEqual({ dialogs: [], pageErrors: [], consoleErrors: [] });
      } catch (e) {
        throw withStackOutput(e, s);
      } finally {
        await Promise.all([scanner.close(), page.close()]);
      }
    },
    TIMEOUT,
  );
});

/**
 * A failure with the tail of the stack's own log beside it, which says why the function answered as
 * it did (INFO level: no tokens, session ids or mail bodies are ever logged).
 */
function withStackOutput(e: unknown, s: RunningStack): unknown {
  if (e instanceof Error) {
    const note = `\n\n--- local stack output (tail) ---\n${s.output().slice(-4000)}`;
    // Jest prints the stack, which begins with the message.
    e.stack = e.stack?.replace(e.message, () => e.message + note);
    e.message += note;
  }
  return e;
}

/** The ops CLI in-process against the running stack (its DynamoDB and Lambda API ports). */
async function ota(s: RunningStack, args: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { OTA_DYNAMODB_PORT: String(s.port('dynamodb')), OTA_S3_PORT: String(s.port('s3')), OTA_LAMBDA_PORT: String(s.port('lambda')) };
  const code = await run(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, now: () => new Date() });
  return { code, stdout, stderr };
}

/**
 * Every customer page variant in real Chromium: axe-core's WCAG 2.1 A/AA rules pass.
 * A tiny HTTP server serves the rendered pages and the stylesheet with the security headers the
 * handler sends (functions/http/security-headers.ts), so a page that needed inline script or style
 * would show it here too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { securityHeaders } from '../../functions/http/security-headers.js';
import { launchBrowser, runAxe } from '../support/browser.js';
import { readTrailEntry } from '../../shared/domain/trail.js';
import { PORTAL_CSS } from '../../shared/web/portal-css.js';
import {
  accessPage,
  accessSentPage,
  codeLockedPage,
  codeOfferedPage,
  codePage,
  codeRefusedPage,
  errorPage,
  landingPage,
  messagePage,
  signedOutPage,
  ticketListPage,
  ticketPage,
  type ArticleView,
  type PageContext,
  type TicketPageInput,
  type TrailLine,
} from '../../shared/web/pages.js';
import { ROUTES } from '../../shared/web/routes.js';
import { ERROR_KINDS } from '../../shared/web/texts.js';

const TIMEOUT = 60_000;
const HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> &amp; invoice\u202Efdp.exe';

const en: PageContext = { language: 'en', supportName: 'ACME Support' };
const de: PageContext = { language: 'de', supportName: 'ACME Support' };
const hostileCtx: PageContext = { language: 'en', supportName: HOSTILE };

const at = (minute: number): string => new Date(Date.UTC(2026, 2, 4, 10, minute)).toISOString();

function longTicket(overrides: Partial<TicketPageInput> = {}): TicketPageInput {
  const articles: ArticleView[] = Array.from({ length: 6 }, (_, i) => ({
    direction: i % 2 === 0 ? 'inbound' : 'outbound',
    fromName: i % 2 === 0 ? 'Alice Example' : 'ACME Support',
    fromAddress: i % 2 === 0 ? 'alice.with.a.rather.long.address@customer-subdomain.example.com' : 'support@example.com',
    subject: `Re: [Ticket#20260304000001] Printer on fire (${i})`,
    createdAt: at(i * 7),
    text: [
      'Hello,',
      '',
      'the printer in room 4.12 is on fire again.\nIt started after the update:\n    indented log line 1\n    indented log line 2',
      '',
      'Details: https://intranet.example.com/a/very/long/path/without/any/break/points/that/must/wrap/on/phones/0123456789abcdef',
      '',
      'مرحبا، هذا نص باللغة العربية', // right-to-left text keeps its direction (dir="auto")
      '',
      'Regards',
    ].join('\n'),
    textTruncated: i === 0,
    attachments:
      i % 2 === 0
        ? [
            { filename: 'photo-of-the-printer.jpg', contentType: 'image/jpeg', size: 2_345_678 },
            { filename: `invoice\u202Efdp.exe`, contentType: 'application/octet-stream', size: 512 },
            { filename: 'a-very-long-file-name-without-spaces-that-needs-to-wrap-on-a-phone-screen.pdf', contentType: 'application/pdf', size: 88_000 },
          ]
        : [],
  }));
  const trail: TrailLine[] = [
    { at: at(0), event: 'link-minted', detail: 'auto-reply' },
    { at: at(1), event: 'link-mailed' },
    { at: at(4), event: 'link-opened', client: 'link scanner, 198.51.100.0/24', clientKind: 'mail-scanner' },
    { at: at(5), event: 'link-opened', client: 'Firefox, 203.0.113.0/24' },
    { at: at(6), event: 'link-used', client: 'Firefox, 203.0.113.0/24' },
    { at: at(40), event: 'link-refused', detail: 'CustomerErrorMessageWrongLink', client: 'Safari, 198.51.100.0/24' },
    { at: at(41), event: 'refresh-mailed' },
    { at: at(42), event: 'self-service-requested', client: 'Chrome, 2001:db8::/48' },
    { at: at(50), event: 'signed-out' },
    { at: at(59), event: 'session-expired' },
  ];
  return {
    ticket: { number: '20260304000001', title: 'Printer on fire', state: 'open', createdAt: at(0), updatedAt: at(42) },
    articles,
    trail,
    csrfToken: 'csrf-token',
    canReply: true,
    showListLink: true,
    ...overrides,
  };
}

const tickets = [
  { number: '20260305000002', title: 'Cannot log in to the VPN from the hotel network', state: 'pending' as const, createdAt: at(30), updatedAt: at(59) },
  { number: '20260304000001', title: 'Printer on fire', state: 'open' as const, createdAt: at(0), updatedAt: at(42) },
  { number: '20260301000007', title: HOSTILE, state: 'closed' as const, createdAt: at(1), updatedAt: at(2) },
];

/** Path → page. Every variant the handler can show, in both languages where texts differ in length. */
const VARIANTS: Record<string, string> = {
  '/landing': landingPage(en, { ticketNumber: '20260304000001', formAction: '/r/20260304000001/token' }),
  '/landing-de': landingPage(de, { ticketNumber: '20260304000001', formAction: '/r/20260304000001/token' }),
  '/landing-hostile': landingPage(hostileCtx, { ticketNumber: HOSTILE, formAction: '/r/x' }),
  '/message-wrong-link': messagePage(en, {
    title: 'Use the newest link',
    message: 'For security reasons you must use the newest link we sent you to access this ticket.',
    offerNewLink: true,
  }),
  '/message-hostile': messagePage(hostileCtx, { title: HOSTILE, message: HOSTILE, offerNewLink: true, signInLink: true }),
  '/message-de': messagePage(de, { title: 'Link abgelaufen', message: 'Ihr Link verweist auf kein Ticket, das noch gültig ist.', offerNewLink: true }),
  ...Object.fromEntries(
    ERROR_KINDS.map((kind) => [
      `/error-${kind}`,
      errorPage(en, kind, { offerNewLink: kind === 'notFound' }),
    ]),
  ),
  '/error-de': errorPage(de, 'crossSiteForm', { signInLink: true }),
  '/list': ticketListPage(en, { customerEmail: 'alice@example.com', tickets, csrfToken: 'csrf' }),
  '/list-de': ticketListPage(de, { customerEmail: 'alice@example.com', tickets, csrfToken: 'csrf' }),
  '/list-empty': ticketListPage(en, { customerEmail: 'alice@example.com', tickets: [], csrfToken: 'csrf' }),
  '/list-hostile': ticketListPage(hostileCtx, { customerEmail: HOSTILE, tickets, csrfToken: HOSTILE }),
  '/ticket-long': ticketPage(en, longTicket()),
  '/ticket-long-de': ticketPage(de, longTicket()),
  '/ticket-closed-scoped': ticketPage(en, longTicket({ canReply: false, showListLink: false, ticket: { ...longTicket().ticket, state: 'closed' } })),
  '/ticket-empty': ticketPage(en, longTicket({ articles: [], trail: [] })),
  '/ticket-hostile': ticketPage(
    hostileCtx,
    longTicket({
      ticket: { number: HOSTILE, title: HOSTILE, state: 'new', createdAt: HOSTILE, updatedAt: HOSTILE },
      articles: [
        {
          direction: 'inbound',
          fromName: HOSTILE,
          fromAddress: HOSTILE,
          subject: HOSTILE,
          createdAt: HOSTILE,
          text: `${HOSTILE}\n${HOSTILE}\n\n${HOSTILE}`,
          textTruncated: true,
          attachments: [{ filename: HOSTILE, contentType: HOSTILE, size: 1 }],
        },
      ],
      // As the table would hand it over: reading keeps the hostile time and client, not the unknown detail.
      trail: [readTrailEntry({ ticketNumber: HOSTILE, at: HOSTILE, event: 'link-refused', detail: HOSTILE, client: HOSTILE })],
      csrfToken: HOSTILE,
    }),
  ),
  '/signed-out': signedOutPage(en),
  '/signed-out-de': signedOutPage(de),
  '/access': accessPage(en),
  '/access-de': accessPage(de),
  '/access-prefilled-hostile': accessPage(hostileCtx, { ticketNumber: HOSTILE, email: HOSTILE }),
  '/access-sent': accessSentPage(en, { intervalMinutes: 10 }),
  '/access-sent-de': accessSentPage(de, { intervalMinutes: 10 }),
  '/code': codePage(en),
  '/code-de': codePage(de),
  '/code-refused': codeRefusedPage(en, { ticketNumber: '20260304000001' }),
  '/code-refused-de': codeRefusedPage(de, { ticketNumber: '20260304000001' }),
  '/code-refused-hostile': codeRefusedPage(hostileCtx, { ticketNumber: HOSTILE }),
  '/code-locked': codeLockedPage(en, { until: at(60) }),
  '/code-locked-de': codeLockedPage(de, { until: at(60) }),
  '/code-offered': codeOfferedPage(en, { ticketNumber: '20260304000001', sameMail: true }),
  '/code-offered-de': codeOfferedPage(de, { ticketNumber: '20260304000001', sameMail: true }),
  '/code-offered-newer': codeOfferedPage(en, { ticketNumber: '20260304000001', sameMail: false }),
  '/message-with-code-link': messagePage(en, { title: 'This link no longer works', message: 'Your link does not point to a ticket that is still valid.', offerNewLink: true, offerCode: true }),
};

/** The browser's view of the document, typed just enough for the checks below. */
interface Doc {
  document: {
    title: string;
    styleSheets: { length: number };
    documentElement: { scrollWidth: number; clientWidth: number };
    body: unknown;
    activeElement: { tagName: string } | null;
  };
  getComputedStyle(element: unknown): { maxWidth: string; outlineStyle: string; outlineWidth: string; outlineColor: string };
}

let server: Server;
let baseUrl: string;
let browser: Browser;
// One context for the file: with sparticuz's --single-process flag, closing a context ends the browser.
let context: BrowserContext;

beforeAll(async () => {
  const headers = { ...(await securityHeaders('http://127.0.0.1')), 'Cache-Control': 'no-store' };
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === ROUTES.stylesheet.path) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/css; charset=utf-8' }).end(PORTAL_CSS);
      return;
    }
    const html = VARIANTS[path];
    if (html === undefined) res.writeHead(404, headers).end();
    else res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/**
 * The middleware's default Permissions-Policy denies features by a list that also names some
 * this Chromium does not know; it says so on every page. That is about the list, not the page.
 */
const UNKNOWN_FEATURE = /^Error with Permissions-Policy header: Unrecognized feature: '[a-z-]+'\.$/;

/** Opens a path and records what the browser complained about (CSP violations arrive as console errors). */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !UNKNOWN_FEATURE.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, problems };
}

describe('customer pages in Chromium', () => {
  for (const path of Object.keys(VARIANTS)) {
    it(
      `${path}: no axe WCAG 2.1 A/AA violations, styled under the CSP, no horizontal scroll at 320px`,
      async () => {
        // Prepare
        const { page, problems } = await open(path);
        try {
          // Act
          const violations = await runAxe(page);
          const styled = await page.evaluate(() => {
            const w = globalThis as unknown as Doc;
            return { sheets: w.document.styleSheets.length, maxWidth: w.getComputedStyle(w.document.body).maxWidth };
          });
          await page.setViewportSize({ width: 320, height: 640 });
          const phone = await page.evaluate(() => {
            const { documentElement } = (globalThis as unknown as Doc).document;
            return { scrollWidth: documentElement.scrollWidth, clientWidth: documentElement.clientWidth };
          });

          // Assert
          expect(violations).toEqual([]);
          expect(styled.sheets).toBe(1);
          expect(styled.maxWidth).not.toBe('none');
          expect(problems).toEqual([]);
          expect(phone.scrollWidth).toBeLessThanOrEqual(phone.clientWidth);
        } finally {
          await page.close();
        }
      },
      TIMEOUT,
    );
  }

  it(
    'shows a clear focus ring when moving through the form by keyboard',
    async () => {
      // Prepare
      const { page } = await open('/access');
      try {
        // Act
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const w = globalThis as unknown as Doc;
          const el = w.document.activeElement;
          const style = w.getComputedStyle(el);
          return { tag: el?.tagName, style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor };
        });

        // Assert
        expect(focus).toEqual({ tag: 'INPUT', style: 'solid', width: '3px', color: 'rgb(154, 52, 18)' });
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );
});

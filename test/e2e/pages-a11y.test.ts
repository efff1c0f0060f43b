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
import { PAGE_STATES as VARIANTS } from '../../harness/page-states.js';
import { PORTAL_CSS } from '../../shared/web/portal-css.js';
import { ROUTES } from '../../shared/web/routes.js';

const TIMEOUT = 60_000;

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

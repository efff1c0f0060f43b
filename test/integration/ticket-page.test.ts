/**
 * The ticket page at real size (docs/links-and-portal.md, "The ticket page"), over HTTP against
 * dynalite: a ticket of 300 long articles and 10 000 trail entries still answers in two DynamoDB
 * round trips and well under 1 MB, with its older messages and whole texts a link away; a link
 * opened 600 times adds one counted entry and never pushes the sign-in off the page, nor does a
 * spent link whose button is pressed again and again.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { ARTICLE_PREVIEW_CHARS, type Article } from '../../shared/domain/model.js';
import type { TrailEntry } from '../../shared/domain/trail.js';
import { ARTICLES_SHOWN } from '../../shared/use-cases/show-tickets.js';
import { useLocalSystem } from '../support/system.js';

const { portal } = useLocalSystem({ portal: {} });

let n = 0;
let customer: string;
beforeEach(() => {
  customer = `t${++n}@pages.example`;
});
const SECOND = 1000;
const MINUTE = 60 * SECOND;

async function signedIn(subject: string) {
  const link = await portal.mailIn(customer, subject);
  const browser = portal.browser();
  const res = await browser.post(link.path);
  if (res.status !== 303) throw new Error(`redeem answered ${res.status}`);
  return { link, browser };
}

const ROUND_TRIPS = [['UpdateItemCommand'], ['GetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']];

describe('a long ticket', () => {
  it('shows 300 articles of 95 kB and 10 000 trail entries in two round trips and under 1 MB, older pages and whole texts a link away', async () => {
    // Prepare: what years of mail would leave (each article text near ArticleTextMaxBytes)
    const { link, browser } = await signedIn('Long');
    const start = portal.clock.now().getTime();
    const at = (ms: number) => new Date(start + ms).toISOString();
    const body = (i: number) => `Message ${i}\n${'All work and no play. '.repeat(4300)}THE END ${i}`;
    for (let i = 0; i < 300; i++) {
      const article: Article = { ticketNumber: link.ticketNumber, articleId: `${at((i + 1) * MINUTE)}#long${i}`, direction: i % 2 ? 'outbound' : 'inbound', fromAddress: customer, fromName: 'Tess', subject: `Re: ${i}`, text: body(i), textTruncated: false, attachments: [], createdAt: at((i + 1) * MINUTE) };
      await portal.deps.tickets.addArticle(article);
    }
    const trail: TrailEntry[] = Array.from({ length: 10_000 }, (_, i) => ({ ticketNumber: link.ticketNumber, at: at(i * SECOND), event: 'link-mailed', requestId: `r${i}` }));
    await portal.deps.trail.record(trail);
    portal.clock.advance(10 * MINUTE);
    portal.requests.reset();

    // Act
    const newest = await browser.get(`/tickets/${link.ticketNumber}`);
    const newestRounds = portal.requests.rounds;
    const olderPath = /href="(\/tickets\/\d+\?before=[^"]+)">Earlier messages/.exec(newest.text)?.[1]?.replace(/&amp;/g, '&');
    portal.requests.reset();
    const older = await browser.get(olderPath ?? '');
    const olderRounds = portal.requests.rounds;
    const wholePath = [...newest.text.matchAll(/href="(\/tickets\/\d+\/messages\/[^"]+)">Read the whole message/g)].at(-1)?.[1];
    const whole = await browser.get(wholePath ?? '');

    // Assert
    expect(newest.status).toBe(200);
    expect(Buffer.byteLength(newest.text)).toBeLessThan(1024 * 1024);
    expect(newestRounds).toEqual(ROUND_TRIPS);
    expect(newest.text).toContain('Message 299');
    expect(newest.text).not.toContain(`Message ${299 - ARTICLES_SHOWN}<`);
    expect(newest.text.includes('THE END 299')).toBe(false); // cut at the preview
    expect(olderRounds).toEqual(ROUND_TRIPS);
    expect(older.text).toContain(`Message ${299 - ARTICLES_SHOWN}<`);
    expect(older.text).toContain('Newest messages');
    expect(whole.status).toBe(200);
    expect(whole.text.includes('THE END 299')).toBe(true);
    expect(ARTICLE_PREVIEW_CHARS).toBeLessThan(body(0).length);
  });
});

describe('a link opened again and again', () => {
  it('records 600 GETs of a spent link as one counted entry and keeps the sign-in on the page', async () => {
    // Prepare: at the start of an hour the link was used to sign in; then it is fetched every second for ten minutes
    portal.clock.set(new Date(Math.ceil(portal.clock.now().getTime() / (60 * MINUTE)) * 60 * MINUTE).toISOString());
    const { link, browser } = await signedIn('Flood');
    portal.requests.reset();

    // Act
    for (let i = 0; i < 600; i++) {
      const res = await portal.browser().get(link.path);
      if (res.status !== 200) throw new Error(`landing page answered ${res.status}`);
      portal.clock.advance(SECOND);
    }
    const requests = portal.requests.commands;
    const page = await browser.get(`/tickets/${link.ticketNumber}`);
    const trail = await portal.deps.trail.list(link.ticketNumber);

    // Assert: one token read and a write every ten seconds, not 600 of each
    expect(requests.filter((c) => c === 'GetItemCommand')).toHaveLength(1);
    expect(requests.filter((c) => c === 'UpdateItemCommand').length).toBeLessThanOrEqual(61);
    const opened = trail.filter((e) => e.event === 'link-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.count).toBeGreaterThan(590);
    expect(page.text.includes('You signed in')).toBe(true);
    expect(/You opened the link \(\d{3} times since/.test(page.text)).toBe(true);
  });
});

describe("a spent link's button pressed again and again", () => {
  it('counts 60 refused POSTs in one entry a reason and keeps the sign-in on the page', async () => {
    // Prepare: the person signed in with the link; a scanner then presses its button 60 times, a minute apart
    portal.clock.set(new Date(Math.ceil(portal.clock.now().getTime() / (60 * MINUTE)) * 60 * MINUTE).toISOString());
    const { link, browser } = await signedIn('Pressed');

    // Act
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) {
      statuses.add((await portal.browser().post(link.path)).status);
      portal.clock.advance(SECOND);
    }
    const page = await browser.get(`/tickets/${link.ticketNumber}`);
    const trail = await portal.deps.trail.list(link.ticketNumber);

    // Assert: every press refused (the page asks for the mail's code), counted rather than listed
    expect([...statuses]).toEqual([409]);
    const refused = trail.filter((e) => e.event === 'link-refused');
    expect(refused.map((e) => [e.detail, e.count])).toEqual([['code-offered', 60]]);
    expect(trail.filter((e) => e.event === 'link-used')).toHaveLength(1);
    expect(page.text.includes('You signed in')).toBe(true);
  });
});

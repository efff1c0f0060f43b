/**
 * The customer pages as strings: escaping of everything user-supplied, document structure,
 * forms, languages. Their look and accessibility in a browser: test/e2e/pages-a11y.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { Language } from '../../shared/config.js';
import { readTrailEntry, type StoredTrailEntry } from '../../shared/domain/trail.js';
import {
  accessPage,
  accessSentPage,
  articlePage,
  errorPage,
  FILES_SHOWN,
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
import { texts, type ErrorKind, type Texts } from '../../shared/web/texts.js';

const RLO = '\u202E';
/** Each is put into every user-supplied field in turn. */
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&amp;', `invoice${RLO}fdp.exe`, "' onmouseover='alert(1)"];

/** An entry as the table hands it over, whatever its detail says (the ticket page shows what reading it keeps). */
const stored = (entry: Omit<StoredTrailEntry, 'ticketNumber'>): TrailLine => readTrailEntry({ ticketNumber: '20260304000001', ...entry });

const en: PageContext = { language: 'en', supportName: 'ACME Support' };
const de: PageContext = { language: 'de', supportName: 'ACME Support' };

function article(overrides: Partial<ArticleView> = {}): ArticleView {
  return {
    articleId: '2026-03-04T10:00:00.000Z#a1',
    direction: 'inbound',
    fromName: 'Alice Example',
    fromAddress: 'alice@example.com',
    subject: 'Printer on fire',
    createdAt: '2026-03-04T10:00:00.000Z',
    text: 'Hello,\n\nit burns.',
    textTruncated: false,
    attachments: [],
    ...overrides,
  };
}

function ticketInput(overrides: Partial<TicketPageInput> = {}): TicketPageInput {
  return {
    ticket: { number: '20260304000001', title: 'Printer on fire', state: 'open', createdAt: '2026-03-04T10:00:00.000Z', updatedAt: '2026-03-04T11:00:00.000Z' },
    articles: [article()],
    trail: [{ at: '2026-03-04T10:02:00.000Z', event: 'link-mailed' }],
    csrfToken: 'csrf-token-1',
    canReply: true,
    showListLink: true,
    ...overrides,
  };
}

/** Every page, with `s` in every field that is not ours. */
function everyPage(s: string, language: Language = 'en'): Record<string, string> {
  const ctx: PageContext = { language, supportName: s };
  const hostileArticle = article({
    fromName: s,
    fromAddress: s,
    subject: s,
    text: `${s}\n${s}\n\n${s}`,
    attachments: [{ filename: s, contentType: s, size: 1234, key: s }],
    articleId: s,
    textCut: true,
  });
  const trail: TrailLine[] = [
    { at: s, event: 'link-opened', client: s },
    stored({ at: '2026-03-04T10:05:00.000Z', event: 'link-refused', detail: s, client: s }),
  ];
  return {
    landing: landingPage(ctx, { ticketNumber: s, formAction: s }),
    message: messagePage(ctx, { title: s, message: s, offerNewLink: true, signInLink: true }),
    list: ticketListPage(ctx, {
      customerEmail: s,
      tickets: [{ number: s, title: s, state: 'open', createdAt: s, updatedAt: s }],
      csrfToken: s,
    }),
    ticket: ticketPage(ctx, ticketInput({
      ticket: { number: s, title: s, state: 'open', createdAt: s, updatedAt: s },
      articles: [hostileArticle],
      trail,
      csrfToken: s,
    })),
    ticketNoReply: ticketPage(ctx, ticketInput({ ticket: { number: s, title: s, state: 'closed', createdAt: s, updatedAt: s }, canReply: false })),
    ticketOlder: ticketPage(ctx, ticketInput({ ticket: { number: s, title: s, state: 'open', createdAt: s, updatedAt: s }, olderBefore: s, showingOlder: true, viewer: s, replySent: true })),
    article: articlePage(ctx, { ticket: { number: s, title: s }, article: hostileArticle, csrfToken: s }),
    signedOut: signedOutPage(ctx),
    access: accessPage(ctx, { ticketNumber: s, email: s }),
    accessSent: accessSentPage(ctx, { intervalMinutes: 10 }),
  };
}

const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'link', 'body', 'header', 'main', 'footer', 'section', 'article',
  'h1', 'h2', 'h3', 'h4', 'p', 'a', 'br', 'bdi', 'time', 'form', 'input', 'textarea', 'label', 'button', 'div',
  'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'dl', 'dt', 'dd', 'ul', 'li', 'span',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'lang', 'charset', 'name', 'content', 'rel', 'href', 'class', 'id', 'method', 'action', 'type', 'value', 'for',
  'required', 'maxlength', 'rows', 'inputmode', 'autocomplete', 'aria-describedby', 'aria-labelledby', 'datetime', 'scope', 'dir',
  'role', 'data-label', 'enctype', 'multiple', 'download', 'tabindex',
]);
// A tag as this renderer writes it: every attribute value double-quoted, free of quotes and angle brackets.
const TAG = /<\/?([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/y;

/**
 * Reads every `<` of the document as a tag. A hostile string that escaped its escaping shows
 * up as an unknown tag, an unknown attribute (`onerror`, `style`) or a tag that does not parse.
 */
function markupOf(html: string): { tags: string[]; attributes: string[]; malformed: string[] } {
  const tags: string[] = [];
  const attributes: string[] = [];
  const malformed: string[] = [];
  const body = html.replace(/^<!doctype html>/, '');
  for (let i = body.indexOf('<'); i !== -1; i = body.indexOf('<', i + 1)) {
    TAG.lastIndex = i;
    const m = TAG.exec(body);
    if (!m) {
      malformed.push(body.slice(i, i + 60));
      continue;
    }
    tags.push(m[1] ?? '');
    for (const a of (m[2] ?? '').matchAll(/([a-z-]+)(?:="[^"]*")?/g)) attributes.push(a[1] ?? '');
  }
  return { tags, attributes, malformed };
}

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

describe('escaping of user-supplied content', () => {
  for (const s of HOSTILE) {
    it(`keeps ${JSON.stringify(s)} as text on every page`, () => {
      // Prepare / Act
      const pages = everyPage(s);

      // Assert
      for (const [name, html] of Object.entries(pages)) {
        const markup = markupOf(html);
        expect({ name, malformed: markup.malformed }).toEqual({ name, malformed: [] });
        expect({ name, tags: markup.tags.filter((t) => !ALLOWED_TAGS.has(t)) }).toEqual({ name, tags: [] });
        expect({ name, attributes: markup.attributes.filter((a) => !ALLOWED_ATTRIBUTES.has(a)) }).toEqual({ name, attributes: [] });
        expect(html).not.toContain('<script');
        expect(html).not.toContain('<img');
        expect(html).not.toMatch(/\sstyle=/);
      }
    });
  }

  it('shows the escaped form where the hostile text was', () => {
    // Prepare / Act
    const script = everyPage('<script>alert(1)</script>').ticket;
    const breakout = everyPage('"><img src=x onerror=alert(1)>').access;
    const entity = everyPage('&amp;').list;

    // Assert
    expect(script).toContain('<h1><bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi></h1>');
    expect(script).toContain('<p dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(breakout).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(entity).toContain('<bdi>&amp;amp;</bdi>');
    expect(entity).not.toMatch(/&amp;(?!amp;)/);
  });

  it('contains bidi overrides in <bdi> and removes them from file names and the <title>', () => {
    // Prepare
    const s = `invoice${RLO}fdp.exe`;

    // Act
    const pages = everyPage(s);

    // Assert
    for (const html of Object.values(pages)) {
      // Page text only: in attribute values (an input's value, the CSRF token) the control is not
      // text, and mail text is made of its own bidi paragraphs (dir="auto") that RTL mail needs.
      const inText = count(html.replace(/<div class="message-text"[^]*?<\/div>/g, '').replace(/<[^>]*>/g, ''), RLO);
      const isolated = [...html.matchAll(/<bdi>([^<]*)<\/bdi>/g)].reduce((n, m) => n + count(m[1] ?? '', RLO), 0);
      expect(isolated).toBe(inText);
      expect(html.match(/<title>[^<]*<\/title>/)?.[0]).not.toContain(RLO);
    }
    expect(pages.ticket).toContain('download><bdi>invoice\uFFFDfdp.exe</bdi></a>');
  });

  it('puts links built from ticket numbers through URL encoding as well', () => {
    // Prepare / Act
    const html = ticketListPage(en, {
      customerEmail: 'a@example.com',
      tickets: [{ number: '1/../../logout?x=1', title: 't', state: 'new', createdAt: '2026-03-04T10:00:00Z', updatedAt: '2026-03-04T10:00:00Z' }],
      csrfToken: 'c',
    });

    // Assert
    expect(html).toContain('href="/tickets/1%2F..%2F..%2Flogout%3Fx%3D1"');
  });
});

describe('document structure', () => {
  for (const language of ['en', 'de'] as const) {
    it(`every page is a complete ${language} document with one h1, landmarks and the stylesheet`, () => {
      // Prepare / Act
      const pages = everyPage('Plain text', language);

      // Assert
      for (const [name, html] of Object.entries(pages)) {
        expect({ name, start: html.startsWith(`<!doctype html>\n<html lang="${language}">`) }).toEqual({ name, start: true });
        expect({ name, h1: count(html, '<h1') }).toEqual({ name, h1: 1 });
        expect(html).toContain('<meta charset="utf-8">');
        expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
        expect(html).toContain('<link rel="stylesheet" href="/static/portal.css">');
        expect(html).toMatch(/<title>[^<]+ – Plain text<\/title>/);
        for (const landmark of ['<header', '<main>', '<footer']) expect(html).toContain(landmark);
        expect(count(html, '<main>')).toBe(1);
      }
    });
  }

  it('falls back to the portal name when no support name is configured', () => {
    // Prepare / Act
    const html = signedOutPage({ language: 'de', supportName: '  ' });

    // Assert
    expect(html).toContain('<p class="brand"><bdi>Support-Portal</bdi></p>');
  });

  it('labels every visible form control and uses submit buttons', () => {
    // Prepare / Act
    const pages = everyPage('x');

    // Assert
    for (const html of Object.values(pages)) {
      for (const m of html.matchAll(/<(input|textarea)\b([^>]*)>/g)) {
        const attributes = m[2] ?? '';
        if (attributes.includes('type="hidden"')) continue;
        const id = /\sid="([^"]+)"/.exec(attributes)?.[1];
        expect(id).toBeDefined();
        expect(html).toContain(`<label for="${id}">`);
      }
      for (const m of html.matchAll(/<button([^>]*)>/g)) expect(m[1]).toBe(' type="submit"');
    }
  });
});

describe('forms', () => {
  it('landing page: one POST form to the given action, one button, nothing of the ticket but its number', () => {
    // Prepare / Act
    const html = landingPage(en, { ticketNumber: '20260304000001', formAction: '/r/20260304000001/abc' });

    // Assert
    expect(count(html, '<form')).toBe(1);
    expect(html).toContain('<form method="post" action="/r/20260304000001/abc">');
    expect(count(html, '<button')).toBe(1);
    expect(html).toContain('<button type="submit">Open ticket</button>');
    expect(html).toContain('This link works once');
    // One way on: to the code form, for a link already used or opened on another device.
    expect(html.match(/<a [^>]*>/g)).toEqual(['<a href="/code">']);
    expect(html).not.toContain('<input');
  });

  it('ticket list: links each ticket, keeps the given order, signs out with the CSRF token', () => {
    // Prepare
    const tickets = [
      { number: '20260305000002', title: 'Newer', state: 'pending' as const, createdAt: '2026-03-05T08:00:00Z', updatedAt: '2026-03-05T09:00:00Z' },
      { number: '20260304000001', title: 'Older', state: 'closed' as const, createdAt: '2026-03-04T08:00:00Z', updatedAt: '2026-03-04T09:00:00Z' },
    ];

    // Act
    const html = ticketListPage(en, { customerEmail: 'alice@example.com', tickets, csrfToken: 'tok-1' });

    // Assert
    expect(html.indexOf('/tickets/20260305000002')).toBeLessThan(html.indexOf('/tickets/20260304000001'));
    expect(html).toContain('<th scope="row"><a href="/tickets/20260304000001"><bdi>Older</bdi></a><br><span class="muted">Ticket number <bdi>20260304000001</bdi></span></th>');
    expect(html).toContain('<caption>Your tickets, newest first</caption>');
    expect(count(html, '<th scope="col">')).toBe(3);
    expect(html).toContain('<td data-label="State">Waiting</td>');
    // A plain table: roles on its parts only repeat what they are, and the HTML checker refuses them.
    expect(html).not.toContain('role=');
    expect(html).toContain('<form class="sign-out" method="post" action="/logout"><input type="hidden" name="csrf" value="tok-1">');
  });

  it('ticket list: an empty list says so instead of an empty table', () => {
    // Prepare / Act
    const html = ticketListPage(en, { customerEmail: 'a@example.com', tickets: [], csrfToken: 'c' });

    // Assert
    expect(html).not.toContain('<table');
    expect(html).toContain('You have no tickets here.');
  });

  it('ticket page: reply form with label, required textarea and CSRF token', () => {
    // Prepare / Act
    const html = ticketPage(en, ticketInput());

    // Assert
    expect(html).toContain('<form method="post" action="/tickets/20260304000001/reply" enctype="multipart/form-data">\n<input type="hidden" name="csrf" value="csrf-token-1">');
    expect(html).toContain('<label for="reply-text">Your reply</label>');
    expect(html).toMatch(/<textarea id="reply-text" name="text" rows="8" required maxlength="20000"[^>]*><\/textarea>/);
    expect(count(html, 'name="csrf" value="csrf-token-1"')).toBe(2);
    expect(html).toContain('<a href="/tickets">All my tickets</a>');
  });

  it('ticket page: without reply rights it says why, and a ticket-scoped session gets no list link', () => {
    // Prepare
    const input = ticketInput({ canReply: false, showListLink: false });
    input.ticket.state = 'closed';

    // Act
    const html = ticketPage(en, input);

    // Assert
    expect(html).not.toContain('<textarea');
    expect(html).not.toContain('/reply');
    expect(html).toContain('This ticket is closed, so it cannot be answered here.');
    expect(html).not.toContain('href="/tickets"');
    expect(html).toContain('action="/logout"');
  });

  it('access page: POST to /access with numeric ticket number and email fields, prefilled', () => {
    // Prepare / Act
    const html = accessPage(en, { ticketNumber: '20260304000001', email: 'alice@example.com' });

    // Assert
    expect(html).toContain('<form method="post" action="/access">');
    expect(html).toMatch(/<input id="access-ticket" name="ticketNumber" type="text" inputmode="numeric" autocomplete="off"[^>]* value="20260304000001">/);
    expect(html).toMatch(/<input id="access-email" name="email" type="email" autocomplete="email"[^>]* value="alice@example.com">/);
    expect(accessPage(en)).toContain('value=""');
  });

  it('access sent page: the same bytes whatever was asked', () => {
    // Prepare
    const render = accessSentPage as (...args: unknown[]) => string;

    // Act
    const interval = { intervalMinutes: 10 };
    const pages = [render(en, interval), render(en, { ...interval, ticketNumber: '1', email: 'x@y.z' }), render(en, { ...interval, matched: true })];

    // Assert: it promises no link the interval may hold back, and says how often links go out.
    expect(new Set(pages).size).toBe(1);
    expect(pages[0]).toContain('If this ticket is yours and still open to you, we send a new link to your email address — at most one every 10 minutes');
    expect(pages[0]).not.toContain('on its way');
  });

  it('message page: offers a new link and the way back only when asked', () => {
    // Prepare / Act
    const plain = messagePage(en, { title: 'Link expired', message: 'Your link does not point to a ticket that is still valid.', offerNewLink: false });
    const offered = messagePage(en, { title: 'Link expired', message: 'm', offerNewLink: true, signInLink: true });

    // Assert
    expect(plain.replace(/<link [^>]*>/, '')).not.toContain('href=');
    expect(offered).toContain('<a href="/access">Request a new link</a>');
    expect(offered).toContain('<a href="/tickets">All my tickets</a>');
  });

  it('signed-out page offers a new link', () => {
    // Prepare / Act
    const html = signedOutPage(en);

    // Assert
    expect(html).toContain('<h1>You are signed out</h1>');
    expect(html).toContain('<a href="/access">Request a new link</a>');
  });

  it('error pages exist for every kind in both languages', () => {
    // Prepare
    const kinds: ErrorKind[] = ['badRequest', 'notFound', 'methodNotAllowed', 'payloadTooLarge', 'unsupportedMediaType', 'crossSiteForm', 'serverError'];

    // Act / Assert
    for (const kind of kinds) {
      expect(errorPage(en, kind)).toContain(`<h1><bdi>${texts('en').errors[kind].title}</bdi></h1>`);
      expect(errorPage(de, kind)).toContain(`<h1><bdi>${texts('de').errors[kind].title}</bdi></h1>`);
    }
  });
});

describe('ticket content', () => {
  it('shows articles oldest first with their text shape, truncation note and attachments', () => {
    // Prepare
    const input = ticketInput({
      articles: [
        article({ articleId: '2026-03-04T12:00:00Z#b', direction: 'outbound', fromName: 'ACME Support', fromAddress: 'support@example.com', createdAt: '2026-03-04T12:00:00Z', text: 'Second' }),
        article({
          articleId: '2026-03-04T10:00:00Z#a',
          createdAt: '2026-03-04T10:00:00Z',
          text: 'Line one\r\nLine two\r\n\r\n\r\n  indented',
          textTruncated: true,
          attachments: [{ filename: 'photo.jpg', contentType: 'image/jpeg', size: 1536 }],
        }),
      ],
    });

    // Act
    const html = ticketPage(en, input);

    // Assert
    expect(html.indexOf('Line one')).toBeLessThan(html.indexOf('Second'));
    expect(html).toContain('<p dir="auto">Line one<br>Line two</p>\n<p dir="auto">  indented</p>');
    expect(html).toContain('This message is shortened here.');
    expect(html).toContain('<li><bdi>photo.jpg</bdi> <span class="muted">(1.5 KB, <bdi>image/jpeg</bdi>)</span></li>');
    expect(html).toContain('<article class="message outbound" id="latest">');
    expect(html).toContain('<bdi>Alice Example</bdi> &lt;<bdi>alice@example.com</bdi>&gt;');
  });

  it('renders dates in UTC with the language format inside <time>', () => {
    // Prepare
    const iso = '2026-03-04T10:02:00.000Z';
    const format = (language: Language) =>
      new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));

    // Act
    const english = ticketPage(en, ticketInput({ trail: [{ at: iso, event: 'link-mailed' }] }));
    const german = ticketPage(de, ticketInput({ trail: [{ at: iso, event: 'link-mailed' }] }));

    // Assert
    expect(english).toContain(`<time datetime="${iso}">${format('en')} UTC</time> · Link sent`);
    expect(german).toContain(`<time datetime="${iso}">${format('de')} UTC</time> · Link versendet`);
  });

  it('renders times in the configured zone with its name at that date, and says once which zone it is', () => {
    // Prepare: one winter and one summer instant in Berlin
    const winter = '2026-03-04T10:02:00.000Z';
    const summer = '2026-07-04T10:02:00.000Z';
    const berlin = (ctx: PageContext): PageContext => ({ ...ctx, timeZone: 'Europe/Berlin' });

    // Act
    const english = ticketPage(berlin(en), ticketInput({ trail: [{ at: summer, event: 'link-mailed' }, { at: winter, event: 'link-mailed' }] }));
    const german = ticketPage(berlin(de), ticketInput({ trail: [{ at: winter, event: 'link-mailed' }] }));
    const list = ticketListPage(berlin(en), { customerEmail: 'a@example.com', tickets: [ticketInput().ticket], csrfToken: 'c' });

    // Assert: 10:02 UTC is 11:02 in winter (CET, MEZ) and 12:02 in summer (CEST); the page names the zone
    expect(english).toMatch(new RegExp(`<time datetime="${winter}">[^<]*11:02 (AM )?GMT\\+1</time>|<time datetime="${winter}">[^<]*11:02[^<]*CET</time>`));
    expect(english).toMatch(new RegExp(`<time datetime="${summer}">[^<]*12:02[^<]*(GMT\\+2|CEST)</time>`));
    expect(german).toMatch(new RegExp(`<time datetime="${winter}">[^<]*11:02 (MEZ|GMT\\+1)</time>`));
    expect(english).toContain('Times are shown in the Europe/Berlin time zone.');
    expect(german).toContain('Zeiten in der Zeitzone Europe/Berlin.');
    expect(list).toContain('Times are shown in the Europe/Berlin time zone.');
    expect(ticketPage(en, ticketInput())).toContain('Times are shown in UTC.');
  });

  it('shows a date that does not parse as given instead of failing', () => {
    // Prepare / Act
    const html = ticketPage(en, ticketInput({ trail: [{ at: 'yesterday', event: 'signed-out' }] }));

    // Assert
    expect(html).toContain('<li><bdi>yesterday</bdi> · Signed out</li>');
    expect(ticketPage(en, ticketInput({ trail: [{ at: 'yesterday', event: 'signed-out', client: 'Edge, 192.0.2.0/24' }], viewer: 'Edge, 192.0.2.0/24' }))).toContain('<li><bdi>yesterday</bdi> · You signed out</li>');
  });

  it('words the access trail newest first, with the client hint and never a raw key', () => {
    // Prepare
    const trail: TrailLine[] = [
      { at: '2026-03-04T10:00:00Z', event: 'link-minted', detail: 'auto-reply' },
      { at: '2026-03-04T11:40:00Z', event: 'link-refused', detail: 'CustomerErrorMessageWrongLink', client: 'Safari, 198.51.100.0/24' },
      { at: '2026-03-04T10:05:00Z', event: 'link-opened', client: 'Firefox, 203.0.113.0/24' },
      // Stored by a version that knew more details than this one.
      stored({ at: '2026-03-04T11:50:00Z', event: 'link-refused', detail: 'some-future-key' }),
      stored({ at: '2026-03-04T11:55:00Z', event: 'link-minted', detail: 'unknown-purpose' }),
    ];

    // Act
    const html = ticketPage(en, ticketInput({ trail }));
    const items = [...html.matchAll(/<li><time[^>]*>[^<]*<\/time> · ([^<]*)/g)].map((m) => m[1]?.trim());

    // Assert
    expect(items).toEqual([
      'New link created',
      'A link was refused',
      'Someone opened an old link in Safari, elsewhere — refused: only the newest link works',
      'The link was opened in Firefox, elsewhere',
      'New link created for our confirmation email',
    ]);
    // The customer's page names the browser, never the network (ops see it: `ota ticket audit`).
    expect(html).not.toMatch(/203\.0\.113|198\.51\.100|\/24/);
    for (const key of ['CustomerErrorMessageWrongLink', 'some-future-key', 'unknown-purpose', 'auto-reply']) expect(html).not.toContain(key);
    expect(html).toContain('<h2 id="trail-heading">Recent access to this ticket</h2>');
  });

  it('words the reader’s own clicks as theirs, names scanners, and collapses repeats with how often and since when', () => {
    // Prepare: the reader's browser and network, a scanner and a headless browser (by their stored kind,
    // whatever the browser family), another network; a counted open; two equal refusals in a row
    const me = 'Chrome, 192.0.2.0/24';
    const trail: TrailLine[] = [
      { at: '2026-03-04T09:59:00.000Z', event: 'link-used', client: me, clientKind: 'headless-browser' },
      { at: '2026-03-04T10:00:00.000Z', event: 'link-opened', client: 'link scanner, 198.51.100.0/24', clientKind: 'mail-scanner' },
      { at: '2026-03-04T10:01:00.000Z', event: 'link-opened', client: me, count: 14, lastAt: '2026-03-04T10:40:00.000Z', lastClient: me },
      { at: '2026-03-04T10:02:00.000Z', event: 'link-used', client: me },
      { at: '2026-03-04T11:00:00.000Z', event: 'link-refused', detail: 'CustomerErrorMessageWrongLink', client: 'Firefox, 203.0.113.0/24' },
      { at: '2026-03-04T11:05:00.000Z', event: 'link-refused', detail: 'CustomerErrorMessageWrongLink', client: 'Firefox, 203.0.113.0/24' },
    ];

    // Act
    const html = ticketPage(en, ticketInput({ trail, viewer: me }));
    const german = ticketPage(de, ticketInput({ trail, viewer: me }));
    const items = [...html.matchAll(/<li><time[^>]*>[^<]*<\/time> · ([^<]*)(?:<time[^>]*>[^<]*<\/time>\))?<\/li>/g)].map((m) => m[1]?.trim());

    // Assert
    expect(items).toEqual([
      'Someone opened an old link in Firefox, elsewhere — refused: only the newest link works (2 times since',
      'You opened the link in Chrome (14 times since',
      'You signed in from Chrome',
      'A mail security scanner checked the link',
      'An automated browser signed in with the link',
    ]);
    expect(html).toContain('<time datetime="2026-03-04T10:40:00.000Z">Mar 4, 2026, 10:40 AM UTC</time> · You opened the link in Chrome (14 times since <time datetime="2026-03-04T10:01:00.000Z">');
    expect(german).toContain('Sie haben sich angemeldet (Chrome)');
    expect(german).toContain('Ein E-Mail-Sicherheitsscanner hat den Link geprüft');
    expect(german).toContain('Ein automatisierter Browser hat sich mit dem Link angemeldet');
  });

  it('says so when there are no articles or trail entries yet', () => {
    // Prepare / Act
    const html = ticketPage(en, ticketInput({ articles: [], trail: [] }));

    // Assert
    expect(html).toContain('There are no messages in this ticket yet.');
    expect(html).toContain('Nothing recorded yet.');
  });
});

describe('texts', () => {
  /** Every leaf of a texts object, with its path; functions are called with sample values. */
  function leaves(value: unknown, path = ''): [string, string][] {
    if (typeof value === 'string') return [[path, value]];
    if (typeof value === 'function') return [[path, String((value as (...a: unknown[]) => unknown)(2048, 'open'))]];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }

  it('has the same, non-empty entries in English and German', () => {
    // Prepare / Act
    const english = leaves(texts('en'));
    const german = leaves(texts('de'));

    // Assert
    expect(german.map(([k]) => k)).toEqual(english.map(([k]) => k));
    for (const [key, value] of [...english, ...german]) expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
  });

  it('renders German pages in German', () => {
    // Prepare / Act
    const landing = landingPage(de, { ticketNumber: '1', formAction: '/r/1/x' });
    const sent = accessSentPage(de, { intervalMinutes: 10 });
    const ticket = ticketPage(de, ticketInput());

    // Assert
    expect(landing).toContain('<button type="submit">Ticket öffnen</button>');
    expect(sent).toContain('Wenn dieses Ticket Ihnen gehört und für Sie noch offen ist, senden wir einen neuen Link an Ihre E-Mail-Adresse – höchstens einen alle 10 Minuten');
    expect(ticket).toContain('Letzte Zugriffe auf dieses Ticket');
    expect(ticket).toContain('<button type="submit">Abmelden</button>');
    expect(ticket).toContain('<dd>Offen</dd>');
  });

  it('formats sizes per language', () => {
    // Prepare
    const t: Record<Language, Texts> = { en: texts('en'), de: texts('de') };

    // Act / Assert
    expect(t.en.ticketPage.bytes(512)).toBe('512 bytes');
    expect(t.en.ticketPage.bytes(1536)).toBe('1.5 KB');
    expect(t.en.ticketPage.bytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(t.de.ticketPage.bytes(1536)).toBe('1,5 KB');
    expect(t.de.ticketPage.bytes(0)).toBe('0 Bytes');
  });
});

describe('the ticket page at real size', () => {
  const id = (n: number) => `2026-03-04T10:${String(n).padStart(2, '0')}:00.000Z#a${n}`;
  const file = (n: number) => ({ filename: `file-${n}.pdf`, contentType: 'application/pdf', size: 1000 + n, key: `attachments/20260304000001/x/${n}` });

  it('links every kept file to the file route, lists FILES_SHOWN per message and points to the rest', () => {
    // Prepare
    const files = Array.from({ length: FILES_SHOWN + 3 }, (_, n) => file(n));
    const input = ticketInput({ articles: [article({ articleId: id(1), attachments: [...files, { filename: 'old.txt', contentType: 'text/plain', size: 3 }] })] });

    // Act
    const html = ticketPage(en, input);
    const whole = articlePage(en, { ticket: input.ticket, article: input.articles[0]!, csrfToken: 'c' });

    // Assert
    expect(html).toContain(`<li><a href="/tickets/20260304000001/messages/${encodeURIComponent(id(1))}/files/0" download><bdi>file-0.pdf</bdi></a>`);
    expect(count(html, '/files/')).toBe(FILES_SHOWN);
    expect(html).toContain(`<a href="/tickets/20260304000001/messages/${encodeURIComponent(id(1))}">4 more files on the message’s own page</a>`);
    expect(count(whole, '/files/')).toBe(FILES_SHOWN + 3);
    expect(whole).toContain('<li><bdi>old.txt</bdi> <span class="muted">'); // no key: named, not linked
  });

  it('marks the files of messages older than the bucket keeps them as gone, without a link', () => {
    const input = ticketInput({ articles: [article({ articleId: id(1), createdAt: '2025-01-01T00:00:00.000Z', attachments: [file(0)] })], filesKeptSince: '2026-01-01T00:00:00.000Z' });
    const html = ticketPage(en, input);
    expect(html).not.toContain('/files/');
    expect(html).toContain('<bdi>file-0.pdf</bdi> <span class="muted">(1,000 bytes, <bdi>application/pdf</bdi>)</span> <span class="muted">not kept any more</span>');
  });

  it('links a cut text to its whole message, and the pages of a long ticket to each other', () => {
    // Prepare / Act
    const newest = ticketPage(en, ticketInput({ articles: [article({ articleId: id(5), textCut: true })], olderBefore: id(5) }));
    const older = ticketPage(en, ticketInput({ articles: [article({ articleId: id(1) })], showingOlder: true }));

    // Assert
    expect(newest).toContain(`<a href="/tickets/20260304000001/messages/${encodeURIComponent(id(5))}">Read the whole message</a>`);
    expect(newest).toContain(`<a href="/tickets/20260304000001?before=${encodeURIComponent(id(5))}">Earlier messages</a>`);
    expect(newest).not.toContain('Newest messages');
    expect(older).toContain('<a href="/tickets/20260304000001">Newest messages</a>');
    expect(older).not.toContain('id="latest"');
  });

  it('confirms a reply where it lands, as a status screen readers announce', () => {
    const html = ticketPage(de, ticketInput({ replySent: true }));
    expect(html).toContain('<p class="confirmation" id="reply-sent" role="status" tabindex="-1">Ihre Antwort wurde dem Ticket hinzugefügt.</p>');
    expect(ticketPage(en, ticketInput())).not.toContain('reply-sent');
  });

  it('offers files in the reply form as ReplyAttachments allows, and none when it is 0', () => {
    const html = ticketPage(en, ticketInput({ files: { maxFiles: 10, maxBytes: 4 * 1024 * 1024 } }));
    expect(html).toContain('<input type="file" id="reply-files" name="files" multiple aria-describedby="files-hint">');
    expect(html).toContain('<p class="hint" id="files-hint">Up to 10 files, 4 MB together.</p>');
    expect(ticketPage(en, ticketInput({ files: { maxFiles: 0, maxBytes: 0 } }))).not.toContain('type="file"');
  });

  it('stays under 1 MB at its worst: ten messages of quote-filled previews, each with a hundred quote-filled file names', () => {
    // Prepare: escaping makes a quote six bytes; names and previews at their longest (255 and ARTICLE_PREVIEW_CHARS characters)
    const quotes = (n: number) => '"'.repeat(n);
    const articles = Array.from({ length: 10 }, (_, i) =>
      article({
        articleId: id(i),
        fromName: quotes(200),
        fromAddress: quotes(254),
        subject: quotes(998),
        text: quotes(2000),
        textCut: true,
        textTruncated: true,
        attachments: Array.from({ length: 100 }, (_, n) => ({ filename: quotes(255), contentType: quotes(127), size: 10 ** 9, key: `attachments/x/${n}` })),
      }),
    );
    const trail: TrailLine[] = Array.from({ length: 40 }, (_, n) => ({ at: `2026-03-04T11:${String(n).padStart(2, '0')}:00.000Z`, event: 'link-refused' as const, detail: 'rate-limited' as const, client: `Chrome, 192.0.${n}.0/24` }));

    // Act
    const html = ticketPage(en, ticketInput({ ticket: { ...ticketInput().ticket, title: quotes(200) }, articles, trail, olderBefore: id(0) }));

    // Assert
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
  });
});

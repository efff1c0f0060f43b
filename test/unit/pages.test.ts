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
    attachments: [{ filename: s, contentType: s, size: 1234 }],
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
  'role', 'data-label',
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
    expect(pages.ticket).toContain('<li><bdi>invoice\uFFFDfdp.exe</bdi>');
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
    expect(html).toContain('<th role="rowheader" scope="row"><a href="/tickets/20260304000001"><bdi>Older</bdi></a><br><span class="muted">Ticket number <bdi>20260304000001</bdi></span></th>');
    expect(html).toContain('<caption>Your tickets, newest first</caption>');
    expect(count(html, '<th role="columnheader" scope="col">')).toBe(3);
    expect(html).toContain('<td role="cell" data-label="State">Waiting</td>');
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
    expect(html).toContain('<form method="post" action="/tickets/20260304000001/reply">\n<input type="hidden" name="csrf" value="csrf-token-1">');
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
        article({ direction: 'outbound', fromName: 'ACME Support', fromAddress: 'support@example.com', createdAt: '2026-03-04T12:00:00Z', text: 'Second' }),
        article({
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
    expect(html).toContain('<article class="message outbound">');
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

  it('shows a date that does not parse as given instead of failing', () => {
    // Prepare / Act
    const html = ticketPage(en, ticketInput({ trail: [{ at: 'yesterday', event: 'signed-out' }] }));

    // Assert
    expect(html).toContain('<li><bdi>yesterday</bdi> · Signed out</li>');
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
      'Someone opened an old link — refused',
      'Link opened',
      'New link created for our confirmation email',
    ]);
    expect(html).toContain('Link opened <span class="muted">(<bdi>Firefox, 203.0.113.0/24</bdi>)</span>');
    for (const key of ['CustomerErrorMessageWrongLink', 'some-future-key', 'unknown-purpose', 'auto-reply']) expect(html).not.toContain(key);
    expect(html).toContain('<h2 id="trail-heading">Recent access to this ticket</h2>');
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

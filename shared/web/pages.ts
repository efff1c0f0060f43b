/**
 * The customer pages (docs/links-and-portal.md) as pure functions: data in, a complete HTML document out.
 * The HTTP handler decides status, headers, cookies and which page to show.
 *
 * Constraints the markup is written for:
 * - The CSP (functions/http/security-headers.ts) allows no inline script or style: no `<script>`,
 *   no `style=`, one external stylesheet. Every page works without JavaScript and reads in order
 *   without CSS.
 * - Everything that did not come from this file goes through `escapeHtml`, configured texts
 *   included. Short user-supplied strings are also wrapped in `<bdi>` so a bidi override in a
 *   title or name cannot reorder the page text around it; file names lose their bidi controls
 *   entirely (the classic "invoice‮fdp.exe" spoof).
 * - The landing page is fetched by mail scanners before the person: it shows the ticket number
 *   and a button, nothing else.
 * - Paths come from the route table (shared/web/routes.ts pathOf), field names and limits from
 *   shared/web/forms.ts, words from shared/web/texts.ts.
 */
import type { Language } from '../config.js';
import type { Article, Ticket } from '../domain/model.js';
import type { TrailEntry, TrailKind } from '../domain/trail.js';
import { escapeHtml } from '../html.js';
import { ACCESS_MAX_CHARS, FORM_FIELDS, REPLY_MAX_CHARS } from './forms.js';
import { pathOf } from './routes.js';
import { texts, type ErrorKind, type Texts } from './texts.js';

export interface PageContext {
  language: Language;
  /** The helpdesk's display name from configuration (SupportName), shown in the header. */
  supportName: string;
}

export type TicketSummary = Pick<Ticket, 'number' | 'title' | 'state' | 'createdAt' | 'updatedAt'>;

export type ArticleView = Pick<Article, 'direction' | 'fromName' | 'fromAddress' | 'subject' | 'createdAt' | 'text' | 'textTruncated' | 'attachments'>;

/** What the ticket page shows of an access-trail entry: when, what, and the coarse client hint. */
export type TrailLine = TrailKind & Pick<TrailEntry, 'at' | 'client'>;

export interface TicketPageInput {
  ticket: TicketSummary;
  articles: ArticleView[];
  trail: TrailLine[];
  csrfToken: string;
  canReply: boolean;
  /** False when the session is scoped to this one ticket (SessionScope `ticket`). */
  showListLink: boolean;
}

const esc = escapeHtml;

/** Isolates a short user-supplied string: its bidi controls stay inside, see the header. */
const isolate = (value: string): string => `<bdi>${esc(value)}</bdi>`;

// Embeddings, overrides and isolates (not the LRM/RLM marks, which real RTL text needs).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** File names show a replacement character where a bidi control was, so the extension reads true. */
const fileName = (value: string): string => isolate(value.replace(BIDI_CONTROLS, '\uFFFD'));

/** `<title>` cannot hold a `<bdi>`: the tab title simply drops bidi controls. */
const plainTitle = (value: string): string => value.replace(BIDI_CONTROLS, '');

const formatters = new Map<Language, Intl.DateTimeFormat>();
function formatter(language: Language): Intl.DateTimeFormat {
  let f = formatters.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    formatters.set(language, f);
  }
  return f;
}

/** A `<time>` in UTC; a value that is not a date is shown as given (escaped) rather than failing the page. */
function time(iso: string, language: Language, t: Texts): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return isolate(iso);
  return `<time datetime="${esc(date.toISOString())}">${esc(formatter(language).format(date))} ${esc(t.utc)}</time>`;
}

/**
 * Mail text keeps its shape: blank lines separate paragraphs, single newlines become `<br>`.
 * Each paragraph takes its direction from its own first letters, so a reply quoting Arabic or
 * Hebrew text reads right in both parts.
 */
function mailText(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/^\s*\n|\n\s*$/g, '');
  if (normalised.trim() === '') return '';
  return normalised
    .split(/\n(?:[ \t]*\n)+/)
    .map((paragraph) => `<p dir="auto">${paragraph.split('\n').map(esc).join('<br>')}</p>`)
    .join('\n');
}

const csrfInput = (token: string): string => `<input type="hidden" name="${FORM_FIELDS.csrf}" value="${esc(token)}">`;

function signOutForm(t: Texts, csrfToken: string): string {
  return `<form class="sign-out" method="post" action="${pathOf('logout')}">${csrfInput(csrfToken)}<button type="submit">${esc(t.signOut)}</button></form>`;
}

const newLinkLink = (t: Texts): string => `<p><a href="${pathOf('access')}">${esc(t.requestNewLink)}</a></p>`;

const backToTickets = (t: Texts): string => `<a href="${pathOf('tickets')}">${esc(t.backToTickets)}</a>`;

interface Shell {
  /** Plain text; the support name is appended. */
  title: string;
  main: string;
  /** Extra header content, e.g. the sign-out form. */
  header?: string;
}

function page(ctx: PageContext, t: Texts, shell: Shell): string {
  const name = ctx.supportName.trim() || t.portalName;
  return `<!doctype html>
<html lang="${esc(ctx.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(plainTitle(shell.title))} – ${esc(plainTitle(name))}</title>
<link rel="stylesheet" href="${pathOf('stylesheet')}">
</head>
<body>
<header class="site-header">
<p class="brand">${isolate(name)}</p>
${shell.header ?? ''}
</header>
<main>
${shell.main}
</main>
<footer class="site-footer">
<p>${esc(t.footer)}</p>
</footer>
</body>
</html>
`;
}

/** GET of a link: a button that POSTs. The scanner that fetches this learns only the number. */
export function landingPage(ctx: PageContext, input: { ticketNumber: string; formAction: string }): string {
  const t = texts(ctx.language);
  const title = t.landing.title(input.ticketNumber);
  return page(ctx, t, {
    title,
    main: `<h1>${isolate(title)}</h1>
<p>${esc(t.landing.explanation)}</p>
<form method="post" action="${esc(input.formAction)}">
<button type="submit">${esc(t.landing.button)}</button>
</form>
<p class="hint">${esc(t.landing.scannerNote)}</p>`,
  });
}

/**
 * Outcome and error pages. `message` is already localised (e.g. CustomerErrorMessageWrongLink).
 * `signInLink`: a way back to the ticket list, for pages shown inside a running session.
 */
export function messagePage(
  ctx: PageContext,
  input: { title: string; message: string; offerNewLink: boolean; signInLink?: boolean },
): string {
  const t = texts(ctx.language);
  return page(ctx, t, {
    title: input.title,
    main: `<h1>${isolate(input.title)}</h1>
<p>${isolate(input.message)}</p>
${input.offerNewLink ? newLinkLink(t) : ''}
${input.signInLink ? `<p>${backToTickets(t)}</p>` : ''}`,
  });
}

/** A generic error page in the customer's language (status codes stay with the handler). */
export function errorPage(ctx: PageContext, kind: ErrorKind, options: { offerNewLink?: boolean; signInLink?: boolean } = {}): string {
  const { title, message } = texts(ctx.language).errors[kind];
  return messagePage(ctx, { title, message, offerNewLink: options.offerNewLink ?? false, signInLink: options.signInLink ?? false });
}

/** "My tickets": the customer's tickets in the order given (the caller sorts newest first). */
export function ticketListPage(
  ctx: PageContext,
  input: { customerEmail: string; tickets: TicketSummary[]; csrfToken: string },
): string {
  const t = texts(ctx.language);
  // Three columns: the title is the link (the number under it keeps equal titles apart); the
  // creation date is on the ticket page. On a phone the stylesheet turns rows into stacked
  // cards with visible labels (data-label); the explicit ARIA roles keep it a table for screen
  // readers in browsers that drop table semantics when `display` changes.
  const rows = input.tickets
    .map(
      (k) => `<tr role="row">
<th role="rowheader" scope="row"><a href="${esc(pathOf('ticket', { number: k.number }))}">${isolate(k.title || t.ticket.untitled)}</a><br><span class="muted">${esc(t.ticket.number)} ${isolate(k.number)}</span></th>
<td role="cell" data-label="${esc(t.ticket.state)}">${esc(t.ticket.states[k.state] ?? k.state)}</td>
<td role="cell" data-label="${esc(t.ticket.updated)}">${time(k.updatedAt, ctx.language, t)}</td>
</tr>`,
    )
    .join('\n');
  const column = (label: string) => `<th role="columnheader" scope="col">${esc(label)}</th>`;
  const table = `<table class="tickets" role="table">
<caption>${esc(t.list.caption)}</caption>
<thead role="rowgroup"><tr role="row">${column(t.list.ticket)}${column(t.ticket.state)}${column(t.ticket.updated)}</tr></thead>
<tbody role="rowgroup">
${rows}
</tbody>
</table>`;
  return page(ctx, t, {
    title: t.list.title,
    header: signOutForm(t, input.csrfToken),
    main: `<h1>${esc(t.list.title)}</h1>
<p>${esc(t.list.signedInAs)} ${isolate(input.customerEmail)}</p>
${input.tickets.length === 0 ? `<p>${esc(t.list.empty)}</p>` : table}`,
  });
}

function article(a: ArticleView, ctx: PageContext, t: Texts): string {
  const own = a.direction === 'inbound' ? t.ticketPage.fromYou : t.ticketPage.fromSupport;
  const name = a.fromName.trim() || a.fromAddress.trim() || own;
  const from = a.fromAddress.trim() && a.fromAddress.trim() !== name ? `${isolate(name)} &lt;${isolate(a.fromAddress)}&gt;` : isolate(name);
  const attachments =
    a.attachments.length === 0
      ? ''
      : `<h4>${esc(t.ticketPage.attachments)}</h4>
<ul class="attachments">
${a.attachments
  .map((f) => `<li>${fileName(f.filename)} <span class="muted">(${esc(t.ticketPage.bytes(f.size))}, ${isolate(f.contentType)})</span></li>`)
  .join('\n')}
</ul>`;
  return `<article class="message ${a.direction}">
<h3>${isolate(name)} · ${time(a.createdAt, ctx.language, t)}</h3>
<dl class="message-meta">
<div><dt>${esc(t.ticketPage.from)}</dt><dd>${from}</dd></div>
${a.subject.trim() ? `<div><dt>${esc(t.ticketPage.subject)}</dt><dd>${isolate(a.subject)}</dd></div>` : ''}
</dl>
<div class="message-text">
${mailText(a.text)}
</div>
${a.textTruncated ? `<p class="hint">${esc(t.ticketPage.truncated)}</p>` : ''}
${attachments}
</article>`;
}

/** A trail entry's words from its detail where it has one; a key is never shown. */
function detailSentence(entry: TrailLine, t: Texts): string | undefined {
  switch (entry.event) {
    case 'link-minted':
      return entry.detail && t.trail.purpose[entry.detail];
    case 'link-refused':
      return entry.detail && t.trail.refused[entry.detail];
    case 'self-service-requested':
      return entry.detail && t.trail.requested[entry.detail];
    default: {
      // The other events carry no detail: one that gets one is a type error here until it has words.
      const none: undefined = entry.detail;
      return none;
    }
  }
}

function trailItem(entry: TrailLine, ctx: PageContext, t: Texts): string {
  const client = entry.client?.trim() ? ` <span class="muted">(${isolate(entry.client.trim())})</span>` : '';
  return `<li>${time(entry.at, ctx.language, t)} · ${esc(detailSentence(entry, t) ?? t.trail.event[entry.event])}${client}</li>`;
}

// ISO-8601 UTC strings sort by time as text; the copies keep the caller's arrays untouched.
const oldestFirst = <T>(items: T[], at: (item: T) => string): T[] => [...items].sort((a, b) => at(a).localeCompare(at(b)));

/** One ticket: details, articles oldest first, reply form, access trail newest first. */
export function ticketPage(ctx: PageContext, input: TicketPageInput): string {
  const t = texts(ctx.language);
  const p = t.ticketPage;
  const { ticket } = input;
  const title = ticket.title || t.ticket.untitled;
  const articles = oldestFirst(input.articles, (a) => a.createdAt);
  const trail = oldestFirst(input.trail, (e) => e.at).reverse();

  const reply = input.canReply
    ? `<form method="post" action="${esc(pathOf('reply', { number: ticket.number }))}">
${csrfInput(input.csrfToken)}
<div class="field">
<label for="reply-text">${esc(p.replyLabel)}</label>
<p class="hint" id="reply-hint">${esc(p.replyHint)}</p>
<textarea id="reply-text" name="${FORM_FIELDS.replyText}" rows="8" required maxlength="${REPLY_MAX_CHARS}" aria-describedby="reply-hint"></textarea>
</div>
<button type="submit">${esc(p.replyButton)}</button>
</form>`
    : `<p>${esc(p.cannotReply(ticket.state))}</p>`;

  return page(ctx, t, {
    title: p.pageTitle(ticket.number, title),
    header: signOutForm(t, input.csrfToken),
    main: `${input.showListLink ? `<p class="back">${backToTickets(t)}</p>` : ''}
<h1>${isolate(title)}</h1>
<section aria-labelledby="details-heading">
<h2 id="details-heading">${esc(p.details)}</h2>
<dl class="ticket-meta">
<div><dt>${esc(t.ticket.number)}</dt><dd>${isolate(ticket.number)}</dd></div>
<div><dt>${esc(t.ticket.state)}</dt><dd>${esc(t.ticket.states[ticket.state] ?? ticket.state)}</dd></div>
<div><dt>${esc(t.ticket.created)}</dt><dd>${time(ticket.createdAt, ctx.language, t)}</dd></div>
<div><dt>${esc(t.ticket.updated)}</dt><dd>${time(ticket.updatedAt, ctx.language, t)}</dd></div>
</dl>
</section>
<section aria-labelledby="messages-heading">
<h2 id="messages-heading">${esc(p.messages)}</h2>
${articles.length === 0 ? `<p>${esc(p.noMessages)}</p>` : articles.map((a) => article(a, ctx, t)).join('\n')}
</section>
<section aria-labelledby="reply-heading">
<h2 id="reply-heading">${esc(p.reply)}</h2>
${reply}
</section>
<section aria-labelledby="trail-heading">
<h2 id="trail-heading">${esc(p.trail)}</h2>
<p class="hint">${esc(p.trailIntro)}</p>
${trail.length === 0 ? `<p>${esc(p.trailEmpty)}</p>` : `<ul class="trail">\n${trail.map((e) => trailItem(e, ctx, t)).join('\n')}\n</ul>`}
</section>`,
  });
}

export function signedOutPage(ctx: PageContext): string {
  const t = texts(ctx.language);
  return page(ctx, t, {
    title: t.signedOut.title,
    main: `<h1>${esc(t.signedOut.title)}</h1>
<p>${esc(t.signedOut.message)}</p>
${newLinkLink(t)}`,
  });
}

/** Self-service (§3.7): ticket number and address; the answer never says whether they matched. */
export function accessPage(ctx: PageContext, input: { ticketNumber?: string; email?: string } = {}): string {
  const t = texts(ctx.language);
  const a = t.access;
  return page(ctx, t, {
    title: a.title,
    main: `<h1>${esc(a.title)}</h1>
<p>${esc(a.explanation)}</p>
<form method="post" action="${pathOf('access')}">
<div class="field">
<label for="access-ticket">${esc(a.ticketNumber)}</label>
<input id="access-ticket" name="${FORM_FIELDS.ticketNumber}" type="text" inputmode="numeric" autocomplete="off" required maxlength="${ACCESS_MAX_CHARS.ticketNumber}" value="${esc(input.ticketNumber ?? '')}">
</div>
<div class="field">
<label for="access-email">${esc(a.email)}</label>
<input id="access-email" name="${FORM_FIELDS.email}" type="email" autocomplete="email" required maxlength="${ACCESS_MAX_CHARS.email}" value="${esc(input.email ?? '')}">
</div>
<button type="submit">${esc(a.submit)}</button>
</form>`,
  });
}

/** The neutral answer to a self-service request. Takes nothing about the request, so it cannot leak. */
export function accessSentPage(ctx: PageContext): string {
  const t = texts(ctx.language);
  return page(ctx, t, {
    title: t.access.sentTitle,
    main: `<h1>${esc(t.access.sentTitle)}</h1>
<p>${esc(t.access.sent)}</p>
<p class="hint">${esc(t.access.sentHint)}</p>`,
  });
}

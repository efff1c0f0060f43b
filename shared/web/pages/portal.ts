/**
 * The pages of a signed-in customer (docs/links-and-portal.md, "Routes", "Sessions"): their
 * tickets, one ticket with its messages, reply form and access trail, and the signed-out page.
 */
import type { Article, Ticket } from '../../domain/model.js';
import { FORM_FIELDS, REPLY_MAX_CHARS } from '../forms.js';
import { pathOf } from '../routes.js';
import { texts, type Texts } from '../texts.js';
import { backToTickets, codeLink, csrfInput, esc, fileName, isolate, newLinkLink, page, signOutForm, time, type PageContext } from './shell.js';
import { trailItem, type TrailLine } from './trail.js';

export type TicketSummary = Pick<Ticket, 'number' | 'title' | 'state' | 'createdAt' | 'updatedAt'>;

export type ArticleView = Pick<Article, 'direction' | 'fromName' | 'fromAddress' | 'subject' | 'createdAt' | 'text' | 'textTruncated' | 'attachments'>;

export interface TicketPageInput {
  ticket: TicketSummary;
  articles: ArticleView[];
  trail: TrailLine[];
  csrfToken: string;
  canReply: boolean;
  /** False when the session is scoped to this one ticket (SessionScope `ticket`). */
  showListLink: boolean;
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
${codeLink(t)}
${newLinkLink(t)}`,
  });
}

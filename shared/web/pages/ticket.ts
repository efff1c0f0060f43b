/**
 * One ticket, and one of its messages on a page of its own (docs/links-and-portal.md, "The ticket
 * page"). The ticket page is bounded whatever the ticket holds: ARTICLES_SHOWN messages with a link
 * to earlier ones, each text cut to a preview with a link to the whole, FILES_SHOWN files per message
 * with a link to the rest, and the recent trail — so it stays well under 1 MB (a test renders the
 * worst case). Files are links to the file route, which hands the bytes over from S3.
 */
import type { Article, Ticket } from '../../domain/model.js';
import { FORM_FIELDS, REPLY_MAX_CHARS } from '../forms.js';
import { pathOf } from '../routes.js';
import { texts, type Texts } from '../texts.js';
import { backToTickets, csrfInput, esc, fileName, isolate, page, signOutForm, time, timeZoneNote, type PageContext } from './shell.js';
import { trailList, type TrailLine } from './trail.js';

export type TicketSummary = Pick<Ticket, 'number' | 'title' | 'state' | 'createdAt' | 'updatedAt'>;

export type ArticleView = Pick<Article, 'articleId' | 'direction' | 'fromName' | 'fromAddress' | 'subject' | 'createdAt' | 'text' | 'textTruncated' | 'attachments'> & {
  /** The text is a preview: the whole is on the message's own page. */
  textCut?: boolean;
};

/** What the ticket page and the message page both need to list files. */
interface FileContext {
  ticketNumber: string;
  /** Files of messages older than this are no longer kept (the bucket's retention); none: all are. */
  filesKeptSince?: string;
}

export interface TicketPageInput extends Omit<FileContext, 'ticketNumber'> {
  ticket: TicketSummary;
  /** Oldest first. */
  articles: ArticleView[];
  /** Older messages exist: the link to them asks for those before this one. */
  olderBefore?: string;
  /** This page shows older messages, not the newest: it links back to the newest. */
  showingOlder?: boolean;
  trail: TrailLine[];
  /** The client hint of the request showing the page: what came from it reads "You …". */
  viewer?: string;
  csrfToken: string;
  canReply: boolean;
  /** False when the session is scoped to this one ticket (SessionScope `ticket`). */
  showListLink: boolean;
  /** A reply was just added: the confirmation is shown (and announced). */
  replySent?: boolean;
  /** ReplyAttachments: the form takes files when maxFiles > 0. */
  files?: { maxFiles: number; maxBytes: number };
}

/** Files listed per message on the ticket page; the message's own page lists all. */
export const FILES_SHOWN = 10;

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

function fileList(a: ArticleView, files: FileContext, ctx: PageContext, t: Texts, level: number, limit = Infinity): string {
  if (a.attachments.length === 0) return '';
  const kept = files.filesKeptSince === undefined || a.createdAt >= files.filesKeptSince;
  const items = a.attachments.slice(0, limit).map((f, i) => {
    const about = `<span class="muted">(${esc(t.ticketPage.bytes(f.size))}, ${isolate(f.contentType)})</span>`;
    if (!f.key) return `<li>${fileName(f.filename)} ${about}</li>`;
    if (!kept) return `<li>${fileName(f.filename)} ${about} <span class="muted">${esc(t.ticketPage.fileNotKept)}</span></li>`;
    // `download` asks the browser to save it; the file route's answer says `attachment` as well.
    return `<li><a href="${esc(pathOf('file', { number: files.ticketNumber, message: a.articleId, file: String(i) }))}" download>${fileName(f.filename)}</a> ${about}</li>`;
  });
  const more = a.attachments.length - Math.min(limit, a.attachments.length);
  return `<h${level}>${esc(t.ticketPage.attachments)}</h${level}>
<ul class="attachments">
${items.join('\n')}
</ul>
${more > 0 ? `<p><a href="${esc(pathOf('message', { number: files.ticketNumber, message: a.articleId }))}">${esc(t.ticketPage.moreFiles(more))}</a></p>` : ''}`;
}

function sender(a: ArticleView, t: Texts): { name: string; from: string } {
  const own = a.direction === 'inbound' ? t.ticketPage.fromYou : t.ticketPage.fromSupport;
  const name = a.fromName.trim() || a.fromAddress.trim() || own;
  const from = a.fromAddress.trim() && a.fromAddress.trim() !== name ? `${isolate(name)} &lt;${isolate(a.fromAddress)}&gt;` : isolate(name);
  return { name, from };
}

/** A message; on the ticket page its heading is an h3 (under "Messages"), on its own page an h2. */
function article(a: ArticleView, files: FileContext, ctx: PageContext, t: Texts, options: { id?: string; whole: boolean }): string {
  const level = options.whole ? 2 : 3;
  const { name, from } = sender(a, t);
  const whole = !options.whole && a.textCut ? `<p><a href="${esc(pathOf('message', { number: files.ticketNumber, message: a.articleId }))}">${esc(t.ticketPage.readWhole)}</a></p>` : '';
  return `<article class="message ${a.direction}"${options.id ? ` id="${options.id}"` : ''}>
<h${level}>${isolate(name)} · ${time(a.createdAt, ctx)}</h${level}>
<dl class="message-meta">
<div><dt>${esc(t.ticketPage.from)}</dt><dd>${from}</dd></div>
${a.subject.trim() ? `<div><dt>${esc(t.ticketPage.subject)}</dt><dd>${isolate(a.subject)}</dd></div>` : ''}
</dl>
<div class="message-text">
${mailText(a.text)}
</div>
${whole}
${a.textTruncated ? `<p class="hint">${esc(t.ticketPage.truncated)}</p>` : ''}
${fileList(a, files, ctx, t, level + 1, options.whole ? Infinity : FILES_SHOWN)}
</article>`;
}

function replyForm(input: TicketPageInput, t: Texts): string {
  const p = t.ticketPage;
  if (!input.canReply) return `<p>${esc(p.cannotReply(input.ticket.state))}</p>`;
  const files = input.files && input.files.maxFiles > 0 && input.files.maxBytes > 0 ? input.files : undefined;
  // multipart/form-data whether files are offered or not: one form, and it works without JavaScript.
  return `<form method="post" action="${esc(pathOf('reply', { number: input.ticket.number }))}" enctype="multipart/form-data">
${csrfInput(input.csrfToken)}
<div class="field">
<label for="reply-text">${esc(p.replyLabel)}</label>
<p class="hint" id="reply-hint">${esc(p.replyHint)}</p>
<textarea id="reply-text" name="${FORM_FIELDS.replyText}" rows="8" required maxlength="${REPLY_MAX_CHARS}" aria-describedby="reply-hint"></textarea>
</div>
${
  files
    ? `<div class="field">
<label for="reply-files">${esc(p.filesLabel)}</label>
<p class="hint" id="files-hint">${esc(p.filesHint(files.maxFiles, p.bytes(files.maxBytes)))}</p>
<input type="file" id="reply-files" name="${FORM_FIELDS.replyFiles}" multiple aria-describedby="files-hint">
</div>`
    : ''
}
<button type="submit">${esc(p.replyButton)}</button>
</form>`;
}

/** One ticket: details, its newest messages (oldest of them first), reply form, recent access trail. */
export function ticketPage(ctx: PageContext, input: TicketPageInput): string {
  const t = texts(ctx.language);
  const p = t.ticketPage;
  const { ticket } = input;
  const title = ticket.title || t.ticket.untitled;
  const files: FileContext = { ticketNumber: ticket.number, filesKeptSince: input.filesKeptSince };
  const articles = [...input.articles].sort((a, b) => (a.articleId < b.articleId ? -1 : 1));
  const ticketPath = pathOf('ticket', { number: ticket.number });
  const older = input.olderBefore ? `<p class="pager"><a href="${esc(`${ticketPath}?before=${encodeURIComponent(input.olderBefore)}`)}">${esc(p.olderMessages)}</a></p>` : '';
  const newest = input.showingOlder ? `<p class="pager"><a href="${esc(ticketPath)}">${esc(p.newestMessages)}</a></p>` : '';
  const confirmation = input.replySent ? `<p class="confirmation" id="reply-sent" role="status" tabindex="-1">${esc(p.replySent)}</p>` : '';

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
<div><dt>${esc(t.ticket.created)}</dt><dd>${time(ticket.createdAt, ctx)}</dd></div>
<div><dt>${esc(t.ticket.updated)}</dt><dd>${time(ticket.updatedAt, ctx)}</dd></div>
</dl>
${timeZoneNote(ctx, t)}
</section>
<section aria-labelledby="messages-heading">
<h2 id="messages-heading">${esc(p.messages)}</h2>
${older}
${articles.length === 0 ? `<p>${esc(p.noMessages)}</p>` : articles.map((a, i) => article(a, files, ctx, t, { whole: false, id: i === articles.length - 1 && !input.showingOlder ? 'latest' : undefined })).join('\n')}
${newest}
${confirmation}
</section>
<section aria-labelledby="reply-heading">
<h2 id="reply-heading">${esc(p.reply)}</h2>
${replyForm(input, t)}
</section>
<section aria-labelledby="trail-heading">
<h2 id="trail-heading">${esc(p.trail)}</h2>
<p class="hint">${esc(p.trailIntro)}</p>
${input.trail.length === 0 ? `<p>${esc(p.trailEmpty)}</p>` : trailList(input.trail, input.viewer, ctx, t)}
</section>`,
  });
}

/** One message with its whole text and every file, and the way back to its ticket. */
export function articlePage(ctx: PageContext, input: { ticket: Pick<Ticket, 'number' | 'title'>; article: ArticleView; csrfToken: string; filesKeptSince?: string }): string {
  const t = texts(ctx.language);
  const { ticket, article: a } = input;
  const heading = a.subject.trim() || sender(a, t).name;
  return page(ctx, t, {
    title: t.article.pageTitle(heading, ticket.number),
    header: signOutForm(t, input.csrfToken),
    main: `<p class="back"><a href="${esc(pathOf('ticket', { number: ticket.number }))}">${esc(t.article.backToTicket)}</a></p>
<h1>${isolate(heading)}</h1>
${article(a, { ticketNumber: ticket.number, filesKeptSince: input.filesKeptSince }, ctx, t, { whole: true })}
${timeZoneNote(ctx, t)}`,
  });
}

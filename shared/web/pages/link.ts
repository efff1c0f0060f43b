/**
 * The pages of a link: the landing page its GET shows, and the message and error pages a
 * request ends on when it opens nothing (docs/links-and-portal.md, "GET shows, POST spends").
 */
import { texts, type ErrorKind } from '../texts.js';
import { backToTickets, codeLink, esc, isolate, newLinkLink, page, type PageContext } from './shell.js';

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
<p class="hint">${esc(t.landing.scannerNote)}</p>
${codeLink(t)}`,
  });
}

/**
 * Outcome and error pages. `message` is already localised (e.g. CustomerErrorMessageWrongLink).
 * `signInLink`: a way back to the ticket list, for pages shown inside a running session.
 * `offerCode`: the way to `/code`, on the pages a link's button ends on.
 */
export function messagePage(
  ctx: PageContext,
  input: { title: string; message: string; offerNewLink: boolean; signInLink?: boolean; offerCode?: boolean },
): string {
  const t = texts(ctx.language);
  return page(ctx, t, {
    title: input.title,
    main: `<h1>${isolate(input.title)}</h1>
<p>${isolate(input.message)}</p>
${input.offerCode ? codeLink(t) : ''}
${input.offerNewLink ? newLinkLink(t) : ''}
${input.signInLink ? `<p>${backToTickets(t)}</p>` : ''}`,
  });
}

/** A generic error page in the customer's language (status codes stay with the handler). */
export function errorPage(ctx: PageContext, kind: ErrorKind, options: { offerNewLink?: boolean; signInLink?: boolean } = {}): string {
  const { title, message } = texts(ctx.language).errors[kind];
  return messagePage(ctx, { title, message, offerNewLink: options.offerNewLink ?? false, signInLink: options.signInLink ?? false });
}

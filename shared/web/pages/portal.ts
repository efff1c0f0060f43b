/**
 * The pages around the tickets (docs/links-and-portal.md, "Routes", "Sessions"): the customer's
 * tickets and the signed-out page. One ticket and its messages: ticket.ts.
 */
import { pathOf } from '../routes.js';
import { texts } from '../texts.js';
import { codeLink, esc, isolate, newLinkLink, page, signOutForm, time, timeZoneNote, type PageContext } from './shell.js';
import type { TicketSummary } from './ticket.js';

export type { TicketSummary } from './ticket.js';

/** "My tickets": the customer's tickets in the order given (the caller sorts newest first). */
export function ticketListPage(
  ctx: PageContext,
  input: { customerEmail: string; tickets: TicketSummary[]; csrfToken: string },
): string {
  const t = texts(ctx.language);
  // Three columns: the title is the link (the number under it keeps equal titles apart); the
  // creation date is on the ticket page. On a phone the stylesheet turns rows into stacked cards
  // whose labels stay visible (data-label), so each value says what it is however a browser reads
  // the restyled table. No ARIA roles on its parts: they only repeat what the elements are, and the
  // HTML checker refuses them (docs/testing.md, "Valid HTML").
  const rows = input.tickets
    .map(
      (k) => `<tr>
<th scope="row"><a href="${esc(pathOf('ticket', { number: k.number }))}">${isolate(k.title || t.ticket.untitled)}</a><br><span class="muted">${esc(t.ticket.number)} ${isolate(k.number)}</span></th>
<td data-label="${esc(t.ticket.state)}">${esc(t.ticket.states[k.state] ?? k.state)}</td>
<td data-label="${esc(t.ticket.updated)}">${time(k.updatedAt, ctx)}</td>
</tr>`,
    )
    .join('\n');
  const column = (label: string) => `<th scope="col">${esc(label)}</th>`;
  const table = `<table class="tickets">
<caption>${esc(t.list.caption)}</caption>
<thead><tr>${column(t.list.ticket)}${column(t.ticket.state)}${column(t.ticket.updated)}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return page(ctx, t, {
    title: t.list.title,
    header: signOutForm(t, input.csrfToken),
    main: `<h1>${esc(t.list.title)}</h1>
<p>${esc(t.list.signedInAs)} ${isolate(input.customerEmail)}</p>
${input.tickets.length === 0 ? `<p>${esc(t.list.empty)}</p>` : `${table}\n${timeZoneNote(ctx, t)}`}`,
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

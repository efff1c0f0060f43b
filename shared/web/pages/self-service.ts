/** Self-service (docs/links-and-portal.md, "Send me a new link"): ticket number and address; the answer never says whether they matched. */
import { ACCESS_MAX_CHARS, FORM_FIELDS } from '../forms.js';
import { pathOf } from '../routes.js';
import { texts } from '../texts.js';
import { esc, page, ticketNumberField, type PageContext } from './shell.js';

export function accessPage(ctx: PageContext, input: { ticketNumber?: string; email?: string } = {}): string {
  const t = texts(ctx.language);
  const a = t.access;
  return page(ctx, t, {
    title: a.title,
    main: `<h1>${esc(a.title)}</h1>
<p>${esc(a.explanation)}</p>
<form method="post" action="${pathOf('access')}">
${ticketNumberField('access-ticket', a.ticketNumber, input.ticketNumber ?? '')}
<div class="field">
<label for="access-email">${esc(a.email)}</label>
<input id="access-email" name="${FORM_FIELDS.email}" type="email" autocomplete="email" required maxlength="${ACCESS_MAX_CHARS.email}" value="${esc(input.email ?? '')}">
</div>
<button type="submit">${esc(a.submit)}</button>
</form>`,
  });
}

/**
 * The neutral answer to a self-service request. Takes nothing about the request, so it cannot
 * leak: only the configured interval (RefreshMinIntervalMinutes), so that it never promises a link
 * the interval holds back.
 */
export function accessSentPage(ctx: PageContext, input: { intervalMinutes: number }): string {
  const t = texts(ctx.language);
  return page(ctx, t, {
    title: t.access.sentTitle,
    main: `<h1>${esc(t.access.sentTitle)}</h1>
<p>${esc(t.access.sent(input.intervalMinutes))}</p>
<p class="hint">${esc(t.access.sentHint)}</p>`,
  });
}

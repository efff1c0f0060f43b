/**
 * `/code` (docs/links-and-portal.md, "Sign-in codes"): a ticket number and the code from the
 * mail. The form, the one neutral answer to a code that opened nothing (it never says which part
 * was wrong), the page of a ticket whose attempts are used up, and the page of a spent link whose
 * mail's code is still unused, which carries the same form.
 */
import { CODE_MAX_CHARS, FORM_FIELDS } from '../forms.js';
import { pathOf } from '../routes.js';
import { texts, type Texts } from '../texts.js';
import { esc, isolate, newLinkLink, page, ticketNumberField, time, type PageContext } from './shell.js';

function codeForm(t: Texts, ticketNumber: string): string {
  const c = t.code;
  return `<form method="post" action="${pathOf('code')}">
${ticketNumberField('code-ticket', c.ticketNumber, ticketNumber)}
<div class="field">
<label for="code-code">${esc(c.code)}</label>
<p class="hint" id="code-hint">${esc(c.codeHint)}</p>
<input id="code-code" name="${FORM_FIELDS.code}" type="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required maxlength="${CODE_MAX_CHARS}" aria-describedby="code-hint">
</div>
<button type="submit">${esc(c.submit)}</button>
</form>`;
}

/** A page that says something and offers the form; `ticketNumber` prefilled where the page knows it. */
function withCodeForm(ctx: PageContext, pick: (t: Texts) => { title: string; message: string }, ticketNumber: string): string {
  const t = texts(ctx.language);
  const { title, message } = pick(t);
  return page(ctx, t, {
    title,
    main: `<h1>${esc(title)}</h1>
<p>${isolate(message)}</p>
${codeForm(t, ticketNumber)}
${newLinkLink(t)}`,
  });
}

export function codePage(ctx: PageContext, input: { ticketNumber?: string } = {}): string {
  return withCodeForm(ctx, (t) => ({ title: t.code.title, message: t.code.explanation }), input.ticketNumber ?? '');
}

/** The one answer to a wrong, used, superseded or unknown code or ticket: the same words whatever the reason. */
export function codeRefusedPage(ctx: PageContext, input: { ticketNumber: string }): string {
  return withCodeForm(ctx, (t) => ({ title: t.code.refusedTitle, message: t.code.refused }), input.ticketNumber);
}

/** Every code for the ticket, right or wrong, until the window of its attempts ends. */
export function codeLockedPage(ctx: PageContext, input: { until: string }): string {
  const t = texts(ctx.language);
  return page(ctx, t, {
    title: t.code.lockedTitle,
    main: `<h1>${esc(t.code.lockedTitle)}</h1>
<p>${t.code.locked('\u0000').split('\u0000').map(esc).join(time(input.until, ctx))}</p>
${newLinkLink(t)}`,
  });
}

/** A spent link whose mail's code is unused: nothing was mailed; the page asks for the code. */
export function codeOfferedPage(ctx: PageContext, input: { ticketNumber: string; sameMail: boolean }): string {
  return withCodeForm(ctx, ({ codeOffered: o }) => ({ title: o.title, message: input.sameMail ? o.sameMail : o.newerMail }), input.ticketNumber);
}

/**
 * What every page shares: the document shell (header, main, footer, the one stylesheet), the
 * escaping helpers and the small pieces several pages show. The rules the markup is written for
 * are in shared/web/pages.ts.
 */
import type { Language } from '../../config.js';
import { escapeHtml } from '../../html.js';
import { ACCESS_MAX_CHARS, FORM_FIELDS } from '../forms.js';
import { pathOf } from '../routes.js';
import type { Texts } from '../texts.js';

export interface PageContext {
  language: Language;
  /** The helpdesk's display name from configuration (SupportName), shown in the header. */
  supportName: string;
  /** IANA time zone of every time shown (PortalTimeZone); UTC when unset. */
  timeZone?: string;
}

export const esc = escapeHtml;

/** Isolates a short user-supplied string: its bidi controls stay inside, see shared/web/pages.ts. */
export const isolate = (value: string): string => `<bdi>${esc(value)}</bdi>`;

// Embeddings, overrides and isolates (not the LRM/RLM marks, which real RTL text needs).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** File names show a replacement character where a bidi control was, so the extension reads true. */
export const fileName = (value: string): string => isolate(value.replace(BIDI_CONTROLS, '\uFFFD'));

/** `<title>` cannot hold a `<bdi>`: the tab title simply drops bidi controls. */
const plainTitle = (value: string): string => value.replace(BIDI_CONTROLS, '');

const formatters = new Map<string, { date: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();
function formatter(language: Language, timeZone: string) {
  const key = `${language}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    // dateStyle cannot be combined with timeZoneName: the zone's short name is formatted apart.
    f = { date: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }), zone: new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'short' }) };
    formatters.set(key, f);
  }
  return f;
}

const zoneOf = (ctx: Pick<PageContext, 'timeZone'>) => ctx.timeZone ?? 'UTC';

/**
 * A `<time>` in the portal's time zone with the zone's short name at that instant (UTC, CET, CEST,
 * MEZ…); a value that is not a date is shown as given (escaped) rather than failing the page.
 */
export function time(iso: string, ctx: Pick<PageContext, 'language' | 'timeZone'>): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return isolate(iso);
  const f = formatter(ctx.language, zoneOf(ctx));
  const zone = f.zone.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? zoneOf(ctx);
  return `<time datetime="${esc(date.toISOString())}">${esc(f.date.format(date))} ${esc(zone)}</time>`;
}

/** Pages that show times say in which zone, once. */
export const timeZoneNote = (ctx: PageContext, t: Texts): string => `<p class="hint">${esc(t.timesIn(zoneOf(ctx)))}</p>`;

/** The ticket-number field of the self-service and the code forms: labelled, numeric keyboard, prefilled where known. */
export function ticketNumberField(id: string, label: string, value: string): string {
  return `<div class="field">
<label for="${id}">${esc(label)}</label>
<input id="${id}" name="${FORM_FIELDS.ticketNumber}" type="text" inputmode="numeric" autocomplete="off" required maxlength="${ACCESS_MAX_CHARS.ticketNumber}" value="${esc(value)}">
</div>`;
}

export const csrfInput = (token: string): string => `<input type="hidden" name="${FORM_FIELDS.csrf}" value="${esc(token)}">`;

export function signOutForm(t: Texts, csrfToken: string): string {
  return `<form class="sign-out" method="post" action="${pathOf('logout')}">${csrfInput(csrfToken)}<button type="submit">${esc(t.signOut)}</button></form>`;
}

export const newLinkLink = (t: Texts): string => `<p><a href="${pathOf('access')}">${esc(t.requestNewLink)}</a></p>`;

/** The way to `/code` (docs/links-and-portal.md, "Sign-in codes"). */
export const codeLink = (t: Texts): string => `<p><a href="${pathOf('code')}">${esc(t.codeLink)}</a></p>`;

export const backToTickets = (t: Texts): string => `<a href="${pathOf('tickets')}">${esc(t.backToTickets)}</a>`;

interface Shell {
  /** Plain text; the support name is appended. */
  title: string;
  main: string;
  /** Extra header content, e.g. the sign-out form. */
  header?: string;
}

export function page(ctx: PageContext, t: Texts, shell: Shell): string {
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

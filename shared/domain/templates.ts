/**
 * Renders the configured mail templates. Placeholders are {{Name}}; values are inserted as
 * text into the plain part and escaped into the HTML part, so a hostile ticket title cannot
 * inject markup or headers.
 */
import { type Config, type Language, type Localized, localize } from '../config.js';
import { escapeHtml } from '../html.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Placeholders every template knows; agent replies add Text and AgentName. Code is the mail's
 * sign-in code (`7KQ4-M9XT`), CodeUrl the page it is typed on.
 */
export type TemplateValues = Record<'TicketNumber' | 'Title' | 'Link' | 'CustomerEmail' | 'Code' | 'CodeUrl', string> & Partial<Record<'Text' | 'AgentName', string>>;

/**
 * Every mail with a link carries its code: a template without {{Code}} (an operator's own) gets
 * this line at the end, in the mail's language. A new language adds its line here (a type error
 * until it does).
 */
export const CODE_LINE: Record<Language, string> = {
  en: 'Sign-in code: {{Code}}\nLink already used, or reading this on another device? Enter the code with ticket number {{TicketNumber}} at {{CodeUrl}}',
  de: 'Anmeldecode: {{Code}}\nLink schon benutzt, oder lesen Sie dies auf einem anderen Gerät? Geben Sie den Code mit der Ticketnummer {{TicketNumber}} unter {{CodeUrl}} ein.',
};
const CODE_PLACEHOLDER = /\{\{\s*Code\s*\}\}/;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

function fill(template: string, values: Record<string, string>, encode: (s: string) => string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? encode(values[name] ?? '') : whole));
}

// Subjects are one line: control characters would let a title smuggle header lines.
const oneLine = (s: string) => s.replace(/[\r\n\t\p{Cc}]+/gu, ' ').trim();

export function renderTemplate(
  template: { Subject: Localized; Body: Localized },
  values: TemplateValues,
  language: Language,
  config: Pick<Config, 'DefaultLanguage'>,
): RenderedMail {
  const subjectTemplate = localize(template.Subject, language, config.DefaultLanguage);
  const configured = localize(template.Body, language, config.DefaultLanguage);
  const bodyTemplate = CODE_PLACEHOLDER.test(configured) ? configured : `${configured.trimEnd()}\n\n${CODE_LINE[language]}`;
  let subject = oneLine(fill(subjectTemplate, values, (s) => s));
  // Threading depends on the tag; an operator's template must not be able to lose it.
  if (!subject.includes(`[Ticket#${values.TicketNumber}]`)) subject = `[Ticket#${values.TicketNumber}] ${subject}`;
  const text = fill(bodyTemplate, values, (s) => s);
  const htmlBody = fill(escapeHtml(bodyTemplate), values, (s) => {
    const escaped = escapeHtml(s);
    if (s === values.Link || s === values.CodeUrl) return `<a href="${escaped}">${escaped}</a>`;
    return s === values.Code ? `<strong>${escaped}</strong>` : escaped;
  });
  const paragraphs = htmlBody
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${paragraphs}\n</body></html>`;
  return { subject, text, html };
}

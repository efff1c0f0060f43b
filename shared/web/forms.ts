/**
 * The portal's forms: the field names and limits the pages render and the handlers read back,
 * and the checks a posted form passes before a use case sees it. The body itself is read by
 * formFields (http.ts), only after the post proved to come from the portal.
 */
import type { Config } from '../config.js';
import { textWithoutControls } from '../domain/mail-rules.js';
import { csrfToken, HttpRequestError } from './http.js';

/** Names of the form fields the handlers read back. */
export const FORM_FIELDS = { csrf: 'csrf', replyText: 'text', replyFiles: 'files', ticketNumber: 'ticketNumber', email: 'email', code: 'code' } as const;

/** Longest reply the form takes: the textarea's maxlength, and what the handler refuses beyond. */
export const REPLY_MAX_CHARS = 20_000;

/** Longest values of the self-service form: a ticket number, and an address (RFC 5321 caps it at 254). */
export const ACCESS_MAX_CHARS = { ticketNumber: 64, email: 254 } as const;

/** Longest sign-in code the form takes: eight characters with room for the spaces and hyphens people type. */
export const CODE_MAX_CHARS = 32;

export type Form = Map<string, string>;

/** A reply whose files are over ReplyAttachments (functions/http/multipart.ts): its 413 page names the limits. */
export class UploadTooLargeError extends HttpRequestError {
  constructor(
    readonly limits: Config['ReplyAttachments'],
    why: string,
  ) {
    super(413, why);
  }
}

/** Every form a signed-in page posts carries the session's form token; without it, 403. */
export function requireFormToken(form: Form, sessionId: string, what: string): void {
  if (form.get(FORM_FIELDS.csrf) !== csrfToken(sessionId)) throw new HttpRequestError(403, `${what} without the session’s form token`);
}

/**
 * A reply's text, line ends normalised, control and bidi characters out (as the use case does too:
 * a reply of nothing else is empty), trimmed: empty or over REPLY_MAX_CHARS is a 400.
 */
export function replyText(form: Form): string {
  const text = textWithoutControls(form.get(FORM_FIELDS.replyText) ?? '').trim();
  if (!text || text.length > REPLY_MAX_CHARS) throw new HttpRequestError(400, `reply of ${text.length} characters`);
  return text;
}

/** The self-service fields, cut to the form's limits (the use case judges what is left). */
export function accessFields(form: Form): { ticketNumber: string; email: string } {
  return {
    ticketNumber: (form.get(FORM_FIELDS.ticketNumber) ?? '').slice(0, ACCESS_MAX_CHARS.ticketNumber),
    email: (form.get(FORM_FIELDS.email) ?? '').slice(0, ACCESS_MAX_CHARS.email),
  };
}

/** The sign-in form's fields, cut to the form's limits (the use case judges what is left). */
export function codeFields(form: Form): { ticketNumber: string; code: string } {
  return {
    ticketNumber: (form.get(FORM_FIELDS.ticketNumber) ?? '').slice(0, ACCESS_MAX_CHARS.ticketNumber),
    code: (form.get(FORM_FIELDS.code) ?? '').slice(0, CODE_MAX_CHARS),
  };
}

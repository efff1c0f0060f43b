/**
 * Where a ticket's files live, and how they leave (docs/links-and-portal.md, "Attachments"). The
 * bytes of every attachment — of an inbound mail, a portal reply or an agent reply — are objects in
 * the raw-mail bucket, under one of two prefixes: ours, written by the inbound and HTTP functions,
 * and the helpdesk's, written by the helpdesk and only read here. The bucket's lifecycle expires
 * them with the raw mail (infra/README.md, "Retention").
 */
import { createHash } from 'node:crypto';

export const FILE_PREFIXES = {
  /** Attachments of inbound mail and portal replies: `attachments/<ticket>/<article>/<n>`. */
  attachments: 'attachments/',
  /** Files the helpdesk puts for an agent reply: `helpdesk-files/<ticket>/<anything>`. */
  helpdesk: 'helpdesk-files/',
} as const;

/** The object key of an article's n-th file: derived from the article, so a retried write lands on the same object. */
export function attachmentKey(ticketNumber: string, articleId: string, index: number): string {
  const article = createHash('sha256').update(articleId).digest('base64url').slice(0, 22);
  return `${FILE_PREFIXES.attachments}${ticketNumber}/${article}/${index}`;
}

/** A key the helpdesk may name for a ticket's agent reply: under its prefix and that ticket, no path tricks. */
export function isHelpdeskFileKey(key: string, ticketNumber: string): boolean {
  const prefix = `${FILE_PREFIXES.helpdesk}${ticketNumber}/`;
  return key.startsWith(prefix) && key.length > prefix.length && key.length <= 1024 && !key.split('/').some((part) => part === '.' || part === '..') && !/\p{Cc}/u.test(key);
}

// Types a browser shows inline or hands to a viewer without running anything of ours; the download
// is an attachment whatever the type, so this only decides what the saved file is labelled.
const SAFE_TYPES = /^(application\/(pdf|zip|gzip|json|msword|vnd\.[\w.+-]+)|image\/(png|jpeg|gif|webp|bmp|tiff|heic)|audio\/[\w.+-]+|video\/[\w.+-]+|text\/(plain|csv|calendar))$/;

/** The Content-Type a download is served with: the file's own when harmless, else application/octet-stream (never HTML or SVG). */
export function downloadType(contentType: string): string {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return SAFE_TYPES.test(type) ? type : 'application/octet-stream';
}

/**
 * `attachment` with the name twice (RFC 6266): `filename` in ASCII for old clients (anything else,
 * quotes and backslashes become `_`), and `filename*` as UTF-8, percent-encoded (RFC 5987/8187).
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'file';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A Content-Type as a browser or a mail named it, kept only when it is one (`type/subtype`), lower-cased. */
export function cleanContentType(value: string | undefined): string {
  const type = (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][\w.+-]{0,63}\/[a-z0-9][\w.+-]{0,127}$/.test(type) ? type : 'application/octet-stream';
}

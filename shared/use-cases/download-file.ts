/**
 * download-file: a file of a ticket's message, for a session that may open the ticket
 * (docs/links-and-portal.md, "Attachments").
 *
 *  1. The article and its ticket, in one request; someone else's ticket, a merged or removed one, a
 *     missing article or file: not found, all alike.
 *  2. A file whose bytes were never kept apart, or whose message is older than the bucket keeps
 *     files, is gone.
 *  3. A presigned URL valid for DOWNLOAD_URL_SECONDS that downloads it from S3 as an attachment, with
 *     its name (RFC 6266/5987) and a harmless type (domain/files.ts): the browser is sent there.
 */
import { downloadType } from '../domain/files.js';
import type { Session } from '../domain/model.js';
import type { FileLinks } from '../ports/files.js';
import { showArticle, type ShowDeps } from './show-tickets.js';

/** Long enough for the browser to follow the redirect on a slow line; short enough that a leaked URL is soon useless. */
export const DOWNLOAD_URL_SECONDS = 120;

export interface DownloadDeps extends ShowDeps {
  fileLinks: FileLinks;
  /** Files of messages older than this many days are gone (the raw-mail bucket's lifecycle); unset: kept. */
  fileRetentionDays?: number;
}

export type DownloadOutcome = { url: string } | 'not-found' | 'gone';

const DAY_MS = 86_400_000;

/** The time before which files are no longer kept, if they expire at all. */
export function filesKeptSince(retentionDays: number | undefined, now: Date): string | undefined {
  return retentionDays === undefined ? undefined : new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
}

export async function downloadFile(deps: DownloadDeps, session: Session, request: { ticketNumber: string; articleId: string; index: string }): Promise<DownloadOutcome> {
  const index = /^\d{1,3}$/.test(request.index) ? Number(request.index) : -1;
  const found = await showArticle(deps, session, request.ticketNumber, request.articleId);
  const file = found?.article.attachments[index];
  if (!found || !file) return 'not-found';
  const since = filesKeptSince(deps.fileRetentionDays, deps.clock.now());
  if (!file.key || (since !== undefined && found.article.createdAt < since)) return 'gone';
  const url = await deps.fileLinks.downloadUrl(file.key, { filename: file.filename, contentType: downloadType(file.contentType) }, DOWNLOAD_URL_SECONDS);
  return { url };
}

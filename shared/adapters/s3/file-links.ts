/**
 * FileLinks on S3: a presigned GetObject URL with the response-* overrides that make it a download
 * (Content-Disposition attachment with the original name, RFC 6266/5987; a harmless Content-Type;
 * no caching). The browser fetches the bytes from S3's origin: the HTTP function never carries them
 * (nor their size past its 6 MB response limit), and an HTML or SVG file never runs as a page of the
 * portal. The presigner is imported on first use: only the file route needs it.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { contentDisposition, FILE_PREFIXES } from '../../domain/files.js';
import type { FileLinks } from '../../ports/files.js';

export class S3FileLinks implements FileLinks {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async downloadUrl(key: string, file: { filename: string; contentType: string }, expiresInSeconds: number): Promise<string> {
    if (!key.startsWith(FILE_PREFIXES.attachments) && !key.startsWith(FILE_PREFIXES.helpdesk)) throw new Error(`Not a file key: ${key}`);
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: contentDisposition(file.filename),
      ResponseContentType: file.contentType,
      ResponseCacheControl: 'private, no-store',
    });
    return getSignedUrl(this.s3, command, { expiresIn: expiresInSeconds });
  }
}

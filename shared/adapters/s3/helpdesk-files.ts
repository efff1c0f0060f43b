/** HelpdeskFiles on S3: a HeadObject of a file the helpdesk put under its prefix of the raw-mail bucket. */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FILE_PREFIXES } from '../../domain/files.js';
import type { HelpdeskFiles } from '../../ports/files.js';
import { classifyAwsError } from '../aws-errors.js';

export class S3HelpdeskFiles implements HelpdeskFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async describe(key: string): Promise<{ size: number; contentType: string } | undefined> {
    if (!key.startsWith(FILE_PREFIXES.helpdesk)) return undefined;
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (e) {
      // Without s3:ListBucket a missing key answers 403 like an unreadable one: either way there is no file to show.
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || status === 403) return undefined;
      throw classifyAwsError(e, 'S3 HeadObject');
    }
  }
}

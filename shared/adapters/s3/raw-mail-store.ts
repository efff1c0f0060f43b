/** Raw MIME written by the SES receipt rule's S3 action, read as a stream: a 40 MB mail is never one buffer. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RawMailMissingError } from '../../errors.js';
import type { RawMailStore } from '../../ports/mail.js';
import { classifyAwsError } from '../aws-errors.js';

export class S3RawMailStore implements RawMailStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) throw new RawMailMissingError(`Raw mail ${key} has no body`);
      return out.Body as AsyncIterable<Uint8Array>;
    } catch (e) {
      if ((e as Error)?.name === 'NoSuchKey') throw new RawMailMissingError(`Raw mail s3://${this.bucket}/${key} does not exist`, { cause: e });
      throw classifyAwsError(e, 'S3 GetObject');
    }
  }
}

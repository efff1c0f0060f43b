/** Raw MIME written by the SES receipt rule's S3 action. */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { RawMailMissingError } from '../../errors.js';
import type { RawMailStore } from '../../ports.js';

export class S3RawMailStore implements RawMailStore {
  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  async get(key: string): Promise<Uint8Array> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) throw new RawMailMissingError(`Raw mail ${key} has no body`);
      return await out.Body.transformToByteArray();
    } catch (e) {
      if (e instanceof NoSuchKey || (e as Error)?.name === 'NoSuchKey') {
        throw new RawMailMissingError(`Raw mail s3://${this.bucket}/${key} does not exist`, { cause: e });
      }
      throw e;
    }
  }
}

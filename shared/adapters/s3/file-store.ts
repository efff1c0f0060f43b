/** FileStore on S3: a file's bytes as one object under the attachments prefix of the raw-mail bucket. */
import { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FILE_PREFIXES } from '../../domain/files.js';
import type { FileStore } from '../../ports/files.js';
import { classifyAwsError } from '../aws-errors.js';

export class S3FileStore implements FileStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>, meta: { contentType: string; size: number }): Promise<void> {
    if (!key.startsWith(FILE_PREFIXES.attachments)) throw new Error(`Not a key of ours: ${key}`);
    // A stream goes to S3 as it is read, with its length known from the parse: memory stays flat
    // whatever the size of the file (shared/adapters/aws-clients.ts says why no checksum trailer).
    const Body = body instanceof Uint8Array ? body : Readable.from(body);
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body, ContentLength: meta.size, ContentType: meta.contentType }));
    } catch (e) {
      throw classifyAwsError(e, 'S3 PutObject');
    }
  }
}

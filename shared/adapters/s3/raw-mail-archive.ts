/** RawMailArchive on S3: the objects the SES receipt rule stored under RawMailPrefix. */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { RawMailMissingError } from '../../errors.js';
import type { RawMailArchive } from '../../ports/mail.js';
import { classifyAwsError } from '../aws-errors.js';

export class S3RawMailArchive implements RawMailArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async list(since: Date): Promise<{ key: string; deliveryId: string; storedAt: Date }[]> {
    const found: { key: string; deliveryId: string; storedAt: Date }[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token })).catch((e: unknown) => {
        throw classifyAwsError(e, 'S3 ListObjectsV2');
      });
      for (const o of out.Contents ?? []) {
        if (o.Key && o.LastModified && o.LastModified >= since) found.push({ key: o.Key, deliveryId: o.Key.slice(this.prefix.length), storedAt: o.LastModified });
      }
      token = out.NextContinuationToken;
    } while (token);
    return found.sort((a, b) => a.storedAt.getTime() - b.storedAt.getTime());
  }

  async read(deliveryId: string): Promise<{ bytes: Uint8Array; storedAt: Date }> {
    const key = `${this.prefix}${deliveryId}`;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: (await out.Body?.transformToByteArray()) ?? new Uint8Array(), storedAt: out.LastModified ?? new Date() };
    } catch (e) {
      if ((e as Error)?.name === 'NoSuchKey') throw new RawMailMissingError(`Raw mail s3://${this.bucket}/${key} does not exist`, { cause: e });
      throw classifyAwsError(e, 'S3 GetObject');
    }
  }
}

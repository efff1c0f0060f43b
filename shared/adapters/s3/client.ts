/**
 * The S3 client, in a module of its own: the HTTP function imports it only with the files it loads on
 * first use (shared/files.ts), and its cold start, which imports aws-clients.ts for DynamoDB, never
 * reaches the S3 SDK (test/infra/bundling.test.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../env.js';
import { captureForXRay, localOptions, withTimeouts, type Env } from '../aws-clients.js';

/**
 * Checksums only where S3 requires them: by default the SDK sends a streamed PutObject as
 * aws-chunked with a CRC32 trailer, which the local S3 peer (s3rver) stores framing and all. A file
 * streamed to S3 has its length fixed (Content-Length), and TLS guards the bytes on the way.
 */
export function createS3Client(env: Env = process.env): S3Client {
  const endpoint = env[ENV.s3Endpoint];
  return captureForXRay(
    new S3Client({ ...localOptions(endpoint, env), forcePathStyle: Boolean(endpoint), requestHandler: withTimeouts(15_000), requestChecksumCalculation: 'WHEN_REQUIRED' }),
    env,
  );
}


/**
 * The adapters of a ticket's files we store and hand out, over one S3 client: inbound attachments and
 * a portal reply's uploads stored, presigned downloads. A module of its own, like shared/senders.ts,
 * so the HTTP function imports it only when a file is uploaded or downloaded: its other routes' cold
 * start never loads the S3 client or the presigner (infra/bundling.ts splits by module). The
 * helpdesk's files are read through shared/helpdesk-files.ts, apart, so each bundle (and role) holds
 * only its own adapters.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Env } from './adapters/aws-clients.js';
import { createS3Client } from './adapters/s3/client.js';
import { S3FileLinks } from './adapters/s3/file-links.js';
import { S3FileStore } from './adapters/s3/file-store.js';
import { ENV, requireEnv } from './env.js';
import type { ClientOverrides } from './deps.js';

const bucket = (env: Env) => requireEnv(env, ENV.rawMailBucket);
const client = (env: Env, o: ClientOverrides): S3Client => o.s3 ?? createS3Client(env);

export function fileStore(env: Env, o: ClientOverrides) {
  return new S3FileStore(client(env, o), bucket(env));
}

/** The portal's two: uploads stored and downloads handed out, sharing one client. */
export function portalFiles(env: Env, o: ClientOverrides) {
  const s3 = client(env, o);
  return { store: new S3FileStore(s3, bucket(env)), links: new S3FileLinks(s3, bucket(env)) };
}

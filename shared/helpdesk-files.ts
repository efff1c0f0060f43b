/**
 * The helpdesk's files (FILE_PREFIXES.helpdesk), described for an agent reply: a module of its own so
 * the helpdesk-events function imports it only for a reply with files, and no other bundle holds it.
 */
import { S3HelpdeskFiles } from './adapters/s3/helpdesk-files.js';
import type { Env } from './adapters/aws-clients.js';
import { createS3Client } from './adapters/s3/client.js';
import type { ClientOverrides } from './deps.js';
import { ENV, requireEnv } from './env.js';

export function helpdeskFiles(env: Env, o: ClientOverrides) {
  return new S3HelpdeskFiles(o.s3 ?? createS3Client(env), requireEnv(env, ENV.rawMailBucket));
}

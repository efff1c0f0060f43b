/**
 * The local stack's key for the sign-in codes (shared/code-key.ts): generated once into the data
 * directory and kept there, so codes mailed before a restart still work after it. What a Secrets
 * Manager secret is in AWS; the key never goes into the table.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CODE_KEY_FILE = 'code-key';

/** The key as OTA_CODE_KEY takes it (base64url), read from the data directory or made there now. */
export function localCodeKey(dataDir: string): string {
  const file = join(dataDir, CODE_KEY_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  try {
    // `wx`: of two stacks starting on one directory, the first one's key is the key.
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw e;
  }
}

/**
 * Where the code key (ports/secrets.ts) comes from, by the function's environment:
 * - OTA_CODE_KEY: the key itself (base64url). The local stack generates one once into its data
 *   directory and hands it to the handlers (local/start.ts); tests generate their own.
 * - OTA_CODE_KEY_SECRET: the ARN of the Secrets Manager secret the stack created (AWS).
 * Either is read on first use and kept: the Secrets Manager client and Powertools' parameters are
 * imported only then, so no cold start — least of all the landing page's — loads them.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, requireEnv } from './env.js';
import { onFirstUse } from './first-use.js';
import type { CodeKey } from './ports/secrets.js';

/** Shorter than 256 bits is no key for HMAC-SHA-256. */
const MIN_KEY_BYTES = 32;

export function staticCodeKey(key: Uint8Array): CodeKey {
  if (key.byteLength < MIN_KEY_BYTES) throw new Error(`A code key needs at least ${MIN_KEY_BYTES} bytes, got ${key.byteLength}`);
  return { get: async () => key };
}

export function codeKeyFrom(env: NodeJS.ProcessEnv, overrides: { secrets?: SecretsManagerClient } = {}): CodeKey {
  const raw = env[ENV.codeKey];
  if (raw) return staticCodeKey(Buffer.from(raw, 'base64url'));
  const loaded = onFirstUse(async () => {
    // Asked only when a code is minted or typed: a function built without the key still serves its other pages.
    const secretId = requireEnv(env, ENV.codeKeySecret);
    const [{ SecretsManagerCodeKey }, { createSecretsManagerClient }] = await Promise.all([import('./adapters/secrets/secrets-manager-code-key.js'), import('./adapters/secrets/client.js')]);
    return new SecretsManagerCodeKey(overrides.secrets ?? createSecretsManagerClient(env), secretId);
  });
  return { get: async () => (await loaded()).get() };
}

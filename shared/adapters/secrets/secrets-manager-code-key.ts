/**
 * The code key (ports/secrets.ts) in AWS: the Secrets Manager secret the stateful stack generated
 * (infra/stateful-stack.ts), read with Powertools' SecretsProvider — its cache keeps the value for
 * `maxAge`, so a warm function asks Secrets Manager about once every quarter hour. The secret's
 * string is the key as it is: 64 generated characters, far more than HMAC-SHA-256's 256 bits need.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { PermanentError } from '../../errors.js';
import type { CodeKey } from '../../ports/secrets.js';
import { classifyAwsError } from '../aws-errors.js';

const MAX_AGE_S = 900;
/** Shorter would mean a hand-made secret: refuse it rather than key codes with it. */
const MIN_KEY_CHARS = 32;

export class SecretsManagerCodeKey implements CodeKey {
  private readonly provider: SecretsProvider;
  /** Requests that arrive while the cache is being filled share its one read. */
  private reading: Promise<Uint8Array> | undefined;

  constructor(
    client: SecretsManagerClient,
    private readonly secretId: string,
  ) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  get(): Promise<Uint8Array> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<Uint8Array> {
    let value: unknown;
    try {
      value = await this.provider.get(this.secretId, { maxAge: MAX_AGE_S });
    } catch (e) {
      // Powertools wraps the SDK's error; the SDK's own decides whether a retry may help.
      throw classifyAwsError((e as { cause?: unknown }).cause ?? e, 'Secrets Manager GetSecretValue of the code key');
    }
    if (typeof value !== 'string' || value.length < MIN_KEY_CHARS) throw new PermanentError(`The code key secret holds no key of at least ${MIN_KEY_CHARS} characters`);
    return Buffer.from(value, 'utf8');
  }
}

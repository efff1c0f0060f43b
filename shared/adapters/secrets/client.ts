/** The Secrets Manager client, made like the others (shared/adapters/aws-clients.ts); its own module so only a first use loads it. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../../env.js';
import { captureForXRay, localOptions, withTimeouts, type Env } from '../aws-clients.js';

export function createSecretsManagerClient(env: Env = process.env): SecretsManagerClient {
  return captureForXRay(new SecretsManagerClient({ ...localOptions(env[ENV.secretsEndpoint], env), requestHandler: withTimeouts(5_000) }), env);
}

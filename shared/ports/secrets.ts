/**
 * The key of the sign-in codes' keyed hash (shared/domain/codes.ts). It lives outside the table —
 * in AWS a Secrets Manager secret the stateful stack creates, locally a file under the data
 * directory — so that a copy of the table alone cannot test codes. Read on first use and cached.
 */
export interface CodeKey {
  get(): Promise<Uint8Array>;
}

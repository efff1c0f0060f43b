/** Real clock and CSPRNG; tests pass fakes through the same ports. */
import { randomBytes } from 'node:crypto';
import type { Clock, Random } from './ports/system.js';

export const systemClock: Clock = { now: () => new Date() };
export const cryptoRandom: Random = { bytes: (n) => randomBytes(n) };

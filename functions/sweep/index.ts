/** Lambda entry of the sweep: dependencies from the environment, once per container. */
import { buildSweepDeps } from './deps.js';
import { makeHandler } from './handler.js';

export const handler = makeHandler(buildSweepDeps());

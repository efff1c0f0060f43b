/** Lambda entry of helpdesk-events: dependencies from the environment, once per container. */
import { buildEventsDeps } from './deps.js';
import { makeHandler } from './handler.js';

export const handler = makeHandler(buildEventsDeps());

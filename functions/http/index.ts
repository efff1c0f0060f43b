/** Lambda entry of the HTTP function (API Gateway HTTP API, payload v2): dependencies from the environment, once per container. */
import { buildHttpDeps } from './deps.js';
import { makeHandler } from './handler.js';

export const handler = makeHandler(buildHttpDeps());

/** Lambda entry of inbound-mail: dependencies from the environment, once per container. */
import { buildInboundDeps } from './deps.js';
import { makeHandler } from './handler.js';

export const handler = makeHandler(buildInboundDeps());

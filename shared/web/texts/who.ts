import type { ClientKind } from '../../domain/model.js';
import type { Who } from '../texts.js';

/** A client that said what it is (a mail security scanner, a headless browser): worded as one, not as a person. */
export const isAutomated = (who: Who): who is { kind: ClientKind } => who.kind === 'mail-scanner' || who.kind === 'headless-browser';

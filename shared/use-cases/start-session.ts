/**
 * start-session: a portal session for a ticket's customer, as every way in starts one — a link's
 * button, its double-click, a sign-in code (docs/links-and-portal.md, "Sessions"). The id is 256
 * random bits that exist only in the cookie; the table keeps its hash. What rides along (the trail
 * entry of the sign-in) is written in the same request.
 *
 * The session's language is the one the ticket's mail declared, else the browser's, else the
 * ticket's: one language through a visit (docs/links-and-portal.md, "Languages and accessibility").
 */
import type { Config, Language } from '../config.js';
import type { Session, Ticket } from '../domain/model.js';
import { sha256 } from '../domain/tokens.js';
import type { SessionRepository } from '../ports/sessions.js';
import type { Random } from '../ports/system.js';
import type { AlsoWrite } from '../ports/writes.js';

const SESSION_ID_BYTES = 32;
const HOUR_MS = 3_600_000;

export const sessionIdHash = sha256;

export interface StartSessionDeps {
  config: Pick<Config, 'SessionScope' | 'SessionAbsoluteHours' | 'DefaultLanguage'>;
  random: Random;
  sessions: Pick<SessionRepository, 'start'>;
}

/** A language the mail declared wins; otherwise the browser's; otherwise what the ticket has. */
export function visitLanguage(ticket: Pick<Ticket, 'language' | 'languageDeclared'>, browser: Language | undefined, fallback: Language): Language {
  if (ticket.languageDeclared && ticket.language) return ticket.language;
  return browser ?? ticket.language ?? fallback;
}

export async function startSession(
  deps: StartSessionDeps,
  ticket: Pick<Ticket, 'number' | 'customerLogin' | 'language' | 'languageDeclared'>,
  now: Date,
  browserLanguage: Language | undefined,
  also?: AlsoWrite,
): Promise<{ sessionId: string; session: Session }> {
  const { config } = deps;
  const nowIso = now.toISOString();
  const sessionId = deps.random.bytes(SESSION_ID_BYTES).toString('base64url');
  const session: Session = {
    idHash: sessionIdHash(sessionId),
    customerLogin: ticket.customerLogin,
    ticketNumber: ticket.number,
    scope: config.SessionScope,
    language: visitLanguage(ticket, browserLanguage, config.DefaultLanguage),
    createdAt: nowIso,
    lastSeenAt: nowIso,
    absoluteExpiresAt: new Date(now.getTime() + config.SessionAbsoluteHours * HOUR_MS).toISOString(),
  };
  await deps.sessions.start(session, also);
  return { sessionId, session };
}

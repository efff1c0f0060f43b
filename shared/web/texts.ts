/**
 * Every string of the customer pages: this interface, and one file per language under texts/
 * (texts/en.ts, texts/de.ts). Every language satisfies the same `Texts`, typed against the
 * domain's own lists (ticket states, trail events and details, message keys), so a missing text
 * — in a language, or for a new value of a domain list — is a type error, not a blank on a page.
 *
 * Values are plain text: the page renderer escapes them like anything else, so a translator
 * cannot break the markup. Texts that depend on data are functions returning plain text.
 */
import type { Language } from '../config.js';
import type { CustomerMessageKey, SelfServiceOutcome, TicketState, TokenPurpose } from '../domain/model.js';
import type { RefusalReason, TrailEvent } from '../domain/trail.js';
import { DE } from './texts/de.js';
import { EN } from './texts/en.js';

/** Generic error pages the handler may answer with (status codes are the handler's business). */
export const ERROR_KINDS = ['badRequest', 'notFound', 'methodNotAllowed', 'payloadTooLarge', 'unsupportedMediaType', 'crossSiteForm', 'serverError'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface Texts {
  /** Shown in the header when the configured support name is empty. */
  portalName: string;
  footer: string;
  requestNewLink: string;
  backToTickets: string;
  signOut: string;
  /** Said once on a page that shows times: the zone they are in (PortalTimeZone, an IANA name or UTC). */
  timesIn: (zone: string) => string;
  landing: {
    title: (ticketNumber: string) => string;
    explanation: string;
    scannerNote: string;
    button: string;
  };
  list: {
    title: string;
    /** Followed by the address. */
    signedInAs: string;
    caption: string;
    /** Header of the column with each ticket's title and number. */
    ticket: string;
    empty: string;
  };
  ticket: {
    number: string;
    title: string;
    state: string;
    created: string;
    updated: string;
    untitled: string;
    states: Record<TicketState, string>;
  };
  ticketPage: {
    pageTitle: (ticketNumber: string, title: string) => string;
    details: string;
    messages: string;
    noMessages: string;
    from: string;
    subject: string;
    fromSupport: string;
    fromYou: string;
    truncated: string;
    attachments: string;
    bytes: (size: number) => string;
    reply: string;
    replyLabel: string;
    replyHint: string;
    replyButton: string;
    cannotReply: (state: TicketState) => string;
    trail: string;
    trailIntro: string;
    trailEmpty: string;
  };
  trail: {
    event: Record<TrailEvent, string>;
    /** Sentences for link-minted by purpose; an entry without one reads as `event['link-minted']`. */
    purpose: Record<TokenPurpose, string>;
    /** Sentences for link-refused by reason; an entry without one reads as `event['link-refused']`. */
    refused: Record<RefusalReason, string>;
    /** Sentences for self-service-requested by what came of it; an entry without one reads as the event. */
    requested: Record<SelfServiceOutcome, string>;
  };
  /** Titles of the pages a link's button leads to when it opens nothing; the message is the configured CustomerErrorMessage*. */
  linkOutcome: Record<CustomerMessageKey, string>;
  signedOut: { title: string; message: string };
  access: {
    title: string;
    explanation: string;
    ticketNumber: string;
    email: string;
    submit: string;
    sentTitle: string;
    sent: string;
    sentHint: string;
  };
  errors: Record<ErrorKind, { title: string; message: string }>;
}

const BY_LANGUAGE: Record<Language, Texts> = { en: EN, de: DE };

export function texts(language: Language): Texts {
  return BY_LANGUAGE[language];
}

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
import type { ClientKind, CustomerMessageKey, SelfServiceOutcome, TicketState, TokenPurpose } from '../domain/model.js';
import type { CodeRefusal, RefusalReason, TrailEvent } from '../domain/trail.js';
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
  /** The way to `/code`, on every page a link can end on and on the signed-out page. */
  codeLink: string;
  /** The date suffix: times are rendered in UTC so they match the mails and the trail. */
  utc: string;
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
    /** Sentences for code-refused by reason; an entry without one reads as the event. */
    codeRefused: Record<CodeRefusal, string>;
    /** Said of an entry whose client named itself a scanner or a headless browser, instead of the browser family. */
    automated: Record<ClientKind, string>;
  };
  /** Titles of the pages a link's button leads to when it opens nothing; the message is the configured CustomerErrorMessage*. */
  linkOutcome: Record<CustomerMessageKey, string>;
  /** A spent link whose mail's code is unused: nothing was mailed, the page asks for the code. */
  codeOffered: { title: string; sameMail: string; newerMail: string };
  /** `/code`: a ticket number and the code from the mail. */
  code: {
    title: string;
    explanation: string;
    ticketNumber: string;
    code: string;
    codeHint: string;
    submit: string;
    /** The one answer for a wrong, used, superseded or unknown code or ticket. */
    refusedTitle: string;
    refused: string;
    lockedTitle: string;
    /** `until`: the time (already formatted) after which codes for the ticket are taken again. */
    locked: (until: string) => string;
  };
  signedOut: { title: string; message: string };
  access: {
    title: string;
    explanation: string;
    ticketNumber: string;
    email: string;
    submit: string;
    sentTitle: string;
    /** Honest whatever happened: at most one link per ticket every `minutes` (RefreshMinIntervalMinutes). */
    sent: (minutes: number) => string;
    sentHint: string;
  };
  errors: Record<ErrorKind, { title: string; message: string }>;
}

const BY_LANGUAGE: Record<Language, Texts> = { en: EN, de: DE };

export function texts(language: Language): Texts {
  return BY_LANGUAGE[language];
}

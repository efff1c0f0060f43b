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

/**
 * Who did what the trail records, as the person reading it sees it: `you` when it came from their
 * own browser and network, a client that said it is a mail security scanner or a headless browser
 * (its stored ClientKind), or another browser (its family, when known).
 */
export type Who = { kind: 'you'; browser?: string } | { kind: ClientKind } | { kind: 'other'; browser?: string };

/** A sentence of the trail that depends on who acted. */
export type ByWho = (who: Who) => string;

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
    /** The link to an article's own page, under a text cut for the ticket page. */
    readWhole: string;
    /** Under the files listed on the ticket page, when an article has more. */
    moreFiles: (count: number) => string;
    /** A file whose bytes are not kept (an article from before files were, or past the bucket's retention). */
    fileNotKept: string;
    /** Links between pages of a long ticket's messages. */
    olderMessages: string;
    newestMessages: string;
    /** Shown on the ticket after a reply was added, announced to screen readers. */
    replySent: string;
    reply: string;
    replyLabel: string;
    replyHint: string;
    replyButton: string;
    filesLabel: string;
    /** What the reply form takes, from ReplyAttachments. */
    filesHint: (maxFiles: number, maxBytes: string) => string;
    cannotReply: (state: TicketState) => string;
    trail: string;
    trailIntro: string;
    trailEmpty: string;
  };
  /** One message on a page of its own: the whole text and every file. */
  article: {
    pageTitle: (subjectOrFrom: string, ticketNumber: string) => string;
    backToTicket: string;
  };
  trail: {
    /** What the system did (no browser involved), and the fallback for an entry read without its detail. */
    event: Record<TrailEvent, string>;
    /** Sentences for link-minted by purpose; an entry without one reads as `event['link-minted']`. */
    purpose: Record<TokenPurpose, string>;
    /** What a browser did, worded for the reader (Who): "You signed in from Chrome". */
    opened: ByWho;
    used: ByWho;
    codeUsed: ByWho;
    /** link-refused by reason; an entry without one reads as `event['link-refused']`. */
    refused: Record<RefusalReason, ByWho>;
    /** code-refused by reason; an entry without one reads as `event['code-refused']`. */
    codeRefused: Record<CodeRefusal, ByWho>;
    /** self-service-requested by what came of it; an entry without one reads as the event. */
    requested: Record<SelfServiceOutcome, ByWho>;
    signedOut: ByWho;
    expired: ByWho;
    /** After a sentence that happened more than once: "(14 times since" + the first time + ")". */
    timesSince: (count: number) => string;
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
  /** A file of a message older than the bucket keeps files (410). */
  fileGone: { title: string; message: string };
  /** The 413 of a reply whose files are over ReplyAttachments: the page names the limit. */
  filesTooLarge: { title: string; message: (maxFiles: number, maxBytes: string) => string };
}

const BY_LANGUAGE: Record<Language, Texts> = { en: EN, de: DE };

export function texts(language: Language): Texts {
  return BY_LANGUAGE[language];
}

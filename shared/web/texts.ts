/**
 * Every string of the customer pages, in English and German. Both languages satisfy the same
 * `Texts` interface, typed against the domain's own lists (ticket states, trail events and
 * details, message keys), so a missing text — in a language, or for a new value of a domain
 * list — is a type error, not a blank on a page.
 *
 * Values are plain text: the page renderer escapes them like anything else, so a translator
 * cannot break the markup. Texts that depend on data are functions returning plain text.
 */
import type { Language } from '../config.js';
import type { CustomerMessageKey, SelfServiceOutcome, TicketState, TokenPurpose } from '../domain/model.js';
import type { RefusalReason, TrailEvent } from '../domain/trail.js';

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

/** Binary units as mail clients show them; the number follows the language's conventions. */
function bytesIn(language: Language, word: string) {
  const units = ['KB', 'MB', 'GB', 'TB'];
  return (size: number): string => {
    const n = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    if (!Number.isFinite(size) || size < 1024) return `${n.format(Math.max(0, Math.round(size) || 0))} ${word}`;
    let value = size / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${n.format(value)} ${units[unit]}`;
  };
}

const EN: Texts = {
  portalName: 'Support portal',
  footer: 'You reach this portal with the one-time links in our emails — no password needed.',
  requestNewLink: 'Request a new link',
  backToTickets: 'All my tickets',
  signOut: 'Sign out',
  utc: 'UTC',
  landing: {
    title: (n) => `Ticket ${n}`,
    explanation: 'This link works once. Pressing the button signs you in and opens your ticket.',
    scannerNote: 'Nothing happens until you press the button, so it is safe if your email program checked the link first.',
    button: 'Open ticket',
  },
  list: {
    title: 'My tickets',
    signedInAs: 'Signed in as',
    caption: 'Your tickets, newest first',
    ticket: 'Ticket',
    empty: 'You have no tickets here.',
  },
  ticket: {
    number: 'Ticket number',
    title: 'Title',
    state: 'State',
    created: 'Created',
    updated: 'Updated',
    untitled: '(no title)',
    states: { new: 'New', open: 'Open', pending: 'Waiting', closed: 'Closed', merged: 'Merged', removed: 'Removed' },
  },
  ticketPage: {
    pageTitle: (n, title) => `${title} (ticket ${n})`,
    details: 'Ticket details',
    messages: 'Messages',
    noMessages: 'There are no messages in this ticket yet.',
    from: 'From',
    subject: 'Subject',
    fromSupport: 'Support',
    fromYou: 'You',
    truncated: 'This message is shortened here. The full text is in the original email.',
    attachments: 'Attachments',
    bytes: bytesIn('en', 'bytes'),
    reply: 'Reply',
    replyLabel: 'Your reply',
    replyHint: 'Your reply is added to the ticket and we are notified.',
    replyButton: 'Send reply',
    cannotReply: (state) => {
      switch (state) {
        case 'closed':
          return 'This ticket is closed, so it cannot be answered here. Reply to one of our emails to reopen it.';
        case 'merged':
          return 'This ticket was merged into another ticket, so it cannot be answered here.';
        case 'removed':
          return 'This ticket was removed, so it cannot be answered here.';
        default:
          return 'Replies are not possible here at the moment. Reply to one of our emails instead.';
      }
    },
    trail: 'Recent access to this ticket',
    trailIntro: 'Every link to this ticket that was sent, opened or refused is listed here. If something looks unfamiliar, tell us.',
    trailEmpty: 'Nothing recorded yet.',
  },
  trail: {
    event: {
      'link-minted': 'New link created',
      'link-mailed': 'Link sent',
      'link-opened': 'Link opened',
      'link-used': 'Signed in with a link',
      'link-refused': 'A link was refused',
      'refresh-mailed': 'New link sent because an old one was used',
      'self-service-requested': 'New link requested on the website',
      'signed-out': 'Signed out',
      'session-expired': 'Session expired',
    },
    purpose: {
      'auto-reply': 'New link created for our confirmation email',
      refresh: 'New link created because an old one was used',
      'agent-reply': 'New link created for an answer from support',
      'self-service': 'New link created on request from the website',
      ops: 'New link created by our support staff',
    },
    refused: {
      CustomerErrorMessageWrongLink: 'Someone opened an old link — refused',
      CustomerErrorMessageLinkExpired: 'Someone opened an expired link — refused',
      CustomerErrorMessageNewLink: 'Someone opened a used link — refused, a new link was sent',
      CustomerErrorMessageRefreshFailed: 'Someone opened a used link — refused, no new link could be made',
      'rate-limited': 'Too many attempts — refused',
    },
    requested: {
      'link-mailed': 'New link requested on the website — sent to your address',
      'no-match': 'Someone requested a new link on the website with another address — nothing sent',
      'not-accessible': 'New link requested on the website — this ticket no longer takes links',
      'rate-limited': 'New link requested on the website — too soon after the last one, nothing sent',
      'mail-failed': 'New link requested on the website — it could not be sent',
    },
  },
  linkOutcome: {
    CustomerErrorMessageLinkExpired: 'This link no longer works',
    CustomerErrorMessageWrongLink: 'Please use the newest link',
    CustomerErrorMessageNewLink: 'A new link is on its way',
    CustomerErrorMessageRefreshFailed: 'No new link could be made',
  },
  signedOut: {
    title: 'You are signed out',
    message: 'To see your tickets again, use the newest link from our emails or request a new one.',
  },
  access: {
    title: 'Request a new link',
    explanation:
      'Enter your ticket number and the email address you wrote to us from. If the ticket is yours and still open to you, we send a new link to that address.',
    ticketNumber: 'Ticket number',
    email: 'Email address',
    submit: 'Send me a new link',
    sentTitle: 'Check your email',
    sent: 'If this ticket is yours and still open to you, a new link is on its way to your email address.',
    sentHint: 'The link works once. If nothing arrives within a few minutes, check your spam folder.',
  },
  errors: {
    badRequest: { title: 'Something is wrong with this request', message: 'The request could not be understood. Please try again.' },
    notFound: { title: 'Page not found', message: 'This page does not exist, or it is not available to you.' },
    methodNotAllowed: { title: 'Not possible here', message: 'This page cannot be used this way.' },
    payloadTooLarge: { title: 'Too much text', message: 'What you sent is too large. Please shorten it and try again.' },
    unsupportedMediaType: { title: 'Form not understood', message: 'Please send the form from this website.' },
    crossSiteForm: {
      title: 'Form refused',
      message: 'This form was sent from another website or from an outdated page. Please open the page again and retry.',
    },
    serverError: { title: 'Something went wrong', message: 'We could not handle your request. Please try again in a few minutes.' },
  },
};

const DE: Texts = {
  portalName: 'Support-Portal',
  footer: 'Sie erreichen dieses Portal über die Einmal-Links in unseren E-Mails – ohne Passwort.',
  requestNewLink: 'Neuen Link anfordern',
  backToTickets: 'Alle meine Tickets',
  signOut: 'Abmelden',
  utc: 'UTC',
  landing: {
    title: (n) => `Ticket ${n}`,
    explanation: 'Dieser Link funktioniert einmal. Mit dem Knopf melden Sie sich an und öffnen Ihr Ticket.',
    scannerNote: 'Erst der Knopf löst etwas aus – es schadet also nicht, wenn Ihr E-Mail-Programm den Link vorher geprüft hat.',
    button: 'Ticket öffnen',
  },
  list: {
    title: 'Meine Tickets',
    signedInAs: 'Angemeldet als',
    caption: 'Ihre Tickets, neueste zuerst',
    ticket: 'Ticket',
    empty: 'Sie haben hier keine Tickets.',
  },
  ticket: {
    number: 'Ticketnummer',
    title: 'Titel',
    state: 'Status',
    created: 'Erstellt',
    updated: 'Aktualisiert',
    untitled: '(ohne Titel)',
    states: { new: 'Neu', open: 'Offen', pending: 'Wartend', closed: 'Geschlossen', merged: 'Zusammengeführt', removed: 'Entfernt' },
  },
  ticketPage: {
    pageTitle: (n, title) => `${title} (Ticket ${n})`,
    details: 'Ticketdaten',
    messages: 'Nachrichten',
    noMessages: 'Dieses Ticket enthält noch keine Nachrichten.',
    from: 'Von',
    subject: 'Betreff',
    fromSupport: 'Support',
    fromYou: 'Sie',
    truncated: 'Diese Nachricht ist hier gekürzt. Der vollständige Text steht in der ursprünglichen E-Mail.',
    attachments: 'Anhänge',
    bytes: bytesIn('de', 'Bytes'),
    reply: 'Antworten',
    replyLabel: 'Ihre Antwort',
    replyHint: 'Ihre Antwort wird dem Ticket hinzugefügt und wir werden benachrichtigt.',
    replyButton: 'Antwort senden',
    cannotReply: (state) => {
      switch (state) {
        case 'closed':
          return 'Dieses Ticket ist geschlossen und kann hier nicht beantwortet werden. Antworten Sie auf eine unserer E-Mails, um es wieder zu öffnen.';
        case 'merged':
          return 'Dieses Ticket wurde mit einem anderen zusammengeführt und kann hier nicht beantwortet werden.';
        case 'removed':
          return 'Dieses Ticket wurde entfernt und kann hier nicht beantwortet werden.';
        default:
          return 'Antworten sind hier gerade nicht möglich. Antworten Sie stattdessen auf eine unserer E-Mails.';
      }
    },
    trail: 'Letzte Zugriffe auf dieses Ticket',
    trailIntro:
      'Hier steht jeder Link zu diesem Ticket, der versendet, geöffnet oder abgelehnt wurde. Wenn Ihnen etwas unbekannt vorkommt, sagen Sie uns Bescheid.',
    trailEmpty: 'Noch nichts aufgezeichnet.',
  },
  trail: {
    event: {
      'link-minted': 'Neuer Link erstellt',
      'link-mailed': 'Link versendet',
      'link-opened': 'Link geöffnet',
      'link-used': 'Mit einem Link angemeldet',
      'link-refused': 'Ein Link wurde abgelehnt',
      'refresh-mailed': 'Neuer Link versendet, weil ein alter benutzt wurde',
      'self-service-requested': 'Neuer Link auf der Website angefordert',
      'signed-out': 'Abgemeldet',
      'session-expired': 'Sitzung abgelaufen',
    },
    purpose: {
      'auto-reply': 'Neuer Link für unsere Eingangsbestätigung erstellt',
      refresh: 'Neuer Link erstellt, weil ein alter benutzt wurde',
      'agent-reply': 'Neuer Link für eine Antwort des Supports erstellt',
      'self-service': 'Neuer Link auf Anforderung über die Website erstellt',
      ops: 'Neuer Link von unserem Support-Team erstellt',
    },
    refused: {
      CustomerErrorMessageWrongLink: 'Jemand hat einen alten Link geöffnet – abgelehnt',
      CustomerErrorMessageLinkExpired: 'Jemand hat einen abgelaufenen Link geöffnet – abgelehnt',
      CustomerErrorMessageNewLink: 'Jemand hat einen benutzten Link geöffnet – abgelehnt, ein neuer Link wurde versendet',
      CustomerErrorMessageRefreshFailed: 'Jemand hat einen benutzten Link geöffnet – abgelehnt, es konnte kein neuer Link erstellt werden',
      'rate-limited': 'Zu viele Versuche – abgelehnt',
    },
    requested: {
      'link-mailed': 'Neuer Link auf der Website angefordert – an Ihre Adresse versendet',
      'no-match': 'Jemand hat auf der Website mit einer anderen Adresse einen neuen Link angefordert – nichts versendet',
      'not-accessible': 'Neuer Link auf der Website angefordert – dieses Ticket nimmt keine Links mehr an',
      'rate-limited': 'Neuer Link auf der Website angefordert – zu kurz nach dem letzten, nichts versendet',
      'mail-failed': 'Neuer Link auf der Website angefordert – er konnte nicht versendet werden',
    },
  },
  linkOutcome: {
    CustomerErrorMessageLinkExpired: 'Dieser Link funktioniert nicht mehr',
    CustomerErrorMessageWrongLink: 'Bitte verwenden Sie den neuesten Link',
    CustomerErrorMessageNewLink: 'Ein neuer Link ist unterwegs',
    CustomerErrorMessageRefreshFailed: 'Es konnte kein neuer Link erzeugt werden',
  },
  signedOut: {
    title: 'Sie sind abgemeldet',
    message: 'Um Ihre Tickets wieder zu sehen, verwenden Sie den neuesten Link aus unseren E-Mails oder fordern Sie einen neuen an.',
  },
  access: {
    title: 'Neuen Link anfordern',
    explanation:
      'Geben Sie Ihre Ticketnummer und die E-Mail-Adresse ein, von der Sie uns geschrieben haben. Wenn das Ticket Ihnen gehört und für Sie noch offen ist, senden wir einen neuen Link an diese Adresse.',
    ticketNumber: 'Ticketnummer',
    email: 'E-Mail-Adresse',
    submit: 'Neuen Link senden',
    sentTitle: 'Bitte prüfen Sie Ihre E-Mails',
    sent: 'Wenn dieses Ticket Ihnen gehört und für Sie noch offen ist, ist ein neuer Link an Ihre E-Mail-Adresse unterwegs.',
    sentHint: 'Der Link funktioniert einmal. Wenn in einigen Minuten nichts ankommt, sehen Sie bitte im Spam-Ordner nach.',
  },
  errors: {
    badRequest: { title: 'Mit dieser Anfrage stimmt etwas nicht', message: 'Die Anfrage war nicht verständlich. Bitte versuchen Sie es erneut.' },
    notFound: { title: 'Seite nicht gefunden', message: 'Diese Seite gibt es nicht, oder sie ist für Sie nicht verfügbar.' },
    methodNotAllowed: { title: 'Hier nicht möglich', message: 'Diese Seite kann so nicht verwendet werden.' },
    payloadTooLarge: { title: 'Zu viel Text', message: 'Ihre Eingabe ist zu groß. Bitte kürzen Sie sie und versuchen Sie es erneut.' },
    unsupportedMediaType: { title: 'Formular nicht verstanden', message: 'Bitte senden Sie das Formular von dieser Website aus.' },
    crossSiteForm: {
      title: 'Formular abgelehnt',
      message:
        'Dieses Formular wurde von einer anderen Website oder einer veralteten Seite gesendet. Bitte öffnen Sie die Seite neu und versuchen Sie es erneut.',
    },
    serverError: {
      title: 'Etwas ist schiefgegangen',
      message: 'Wir konnten Ihre Anfrage nicht bearbeiten. Bitte versuchen Sie es in einigen Minuten erneut.',
    },
  },
};

const BY_LANGUAGE: Record<Language, Texts> = { en: EN, de: DE };

export function texts(language: Language): Texts {
  return BY_LANGUAGE[language];
}

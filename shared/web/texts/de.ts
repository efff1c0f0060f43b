/** The portal's German texts. */
import type { ClientKind } from '../../domain/model.js';
import type { Texts, Who } from '../texts.js';
import { bytesIn } from './bytes.js';
import { isAutomated } from './who.js';

export const DE: Texts = {
  portalName: 'Support-Portal',
  footer: 'Sie erreichen dieses Portal über die Einmal-Links in unseren E-Mails – ohne Passwort.',
  requestNewLink: 'Neuen Link anfordern',
  backToTickets: 'Alle meine Tickets',
  signOut: 'Abmelden',
  codeLink: 'Link schon benutzt, oder auf einem anderen Gerät? Geben Sie den Code aus der E-Mail ein',
  timesIn: (zone) => (zone === 'UTC' ? 'Zeiten in UTC.' : `Zeiten in der Zeitzone ${zone}.`),
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
    readWhole: 'Ganze Nachricht lesen',
    moreFiles: (n) => (n === 1 ? '1 weitere Datei auf der Seite der Nachricht' : `${n} weitere Dateien auf der Seite der Nachricht`),
    fileNotKept: 'nicht mehr aufbewahrt',
    olderMessages: 'Frühere Nachrichten',
    newestMessages: 'Neueste Nachrichten',
    replySent: 'Ihre Antwort wurde dem Ticket hinzugefügt.',
    reply: 'Antworten',
    replyLabel: 'Ihre Antwort',
    replyHint: 'Ihre Antwort wird dem Ticket hinzugefügt und wir werden benachrichtigt.',
    replyButton: 'Antwort senden',
    filesLabel: 'Dateien (freiwillig)',
    filesHint: (n, size) => `Bis zu ${n} Dateien, zusammen ${size}.`,
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
      'Hier steht jeder Link zu diesem Ticket, der versendet, geöffnet oder abgelehnt wurde. „Sie“ heißt: dieser Browser in diesem Netz; „anderswo“: jeder andere. Wenn Ihnen etwas unbekannt vorkommt, sagen Sie uns Bescheid.',
    trailEmpty: 'Noch nichts aufgezeichnet.',
  },
  article: {
    pageTitle: (what, n) => `${what} (Ticket ${n})`,
    backToTicket: 'Zurück zum Ticket',
  },
  trail: {
    event: {
      'link-minted': 'Neuer Link erstellt',
      'link-mailed': 'Link versendet',
      'link-opened': 'Link geöffnet',
      'link-used': 'Mit einem Link angemeldet',
      'link-refused': 'Ein Link wurde abgelehnt',
      'code-used': 'Mit dem Code aus einer E-Mail angemeldet',
      'code-refused': 'Ein Anmeldecode wurde abgelehnt',
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
    opened: (who) => (who.kind === 'you' ? `Sie haben den Link geöffnet${inBrowser(who.browser)}` : !isAutomated(who) ? `Der Link wurde anderswo geöffnet${inBrowser(who.browser)}` : `${AUTOMATED[who.kind].nom} hat den Link geprüft`),
    used: (who) => (who.kind === 'you' ? `Sie haben sich angemeldet${inBrowser(who.browser)}` : !isAutomated(who) ? `Jemand hat sich anderswo mit dem Link angemeldet${inBrowser(who.browser)}` : `${AUTOMATED[who.kind].nom} hat sich mit dem Link angemeldet`),
    codeUsed: (who) =>
      who.kind === 'you' ? `Sie haben sich mit dem Code aus einer E-Mail angemeldet${inBrowser(who.browser)}`
      : !isAutomated(who) ? `Jemand hat sich anderswo mit dem Code aus einer E-Mail angemeldet${inBrowser(who.browser)}`
      : `${AUTOMATED[who.kind].nom} hat sich mit dem Code aus einer E-Mail angemeldet`,
    refused: {
      CustomerErrorMessageWrongLink: (who) => `${opener(who, 'einen alten Link')} – abgelehnt: nur der neueste Link gilt`,
      CustomerErrorMessageLinkExpired: (who) => `${opener(who, 'einen abgelaufenen Link')} – abgelehnt`,
      CustomerErrorMessageNewLink: (who) => `${opener(who, 'einen benutzten Link')} – abgelehnt, ein neuer Link wurde Ihnen gesendet`,
      CustomerErrorMessageRefreshFailed: (who) => `${opener(who, 'einen benutzten Link')} – abgelehnt, es konnte kein neuer Link erstellt werden`,
      'rate-limited': (who) => `Zu viele Versuche ${fromWhom(who)} – abgelehnt`,
      'code-offered': (who) => `${opener(who, 'einen benutzten Link')} – nichts versendet, die Seite hat nach dem Anmeldecode aus der E-Mail gefragt`,
    },
    requested: {
      'link-mailed': (who) => `${actor(who)} auf der Website einen neuen Link angefordert – an Ihre Adresse versendet`,
      'no-match': () => 'Jemand hat auf der Website mit einer anderen Adresse einen neuen Link angefordert – nichts versendet',
      'not-accessible': (who) => `${actor(who)} auf der Website einen neuen Link angefordert – dieses Ticket nimmt keine Links mehr an`,
      'rate-limited': (who) => `${actor(who)} auf der Website einen neuen Link angefordert – zu kurz nach dem letzten, nichts versendet`,
      'mail-failed': (who) => `${actor(who)} auf der Website einen neuen Link angefordert – er konnte nicht versendet werden`,
    },
    codeRefused: {
      'wrong-code': (who) => `${actor(who)} einen falschen Anmeldecode eingegeben – abgelehnt`,
      'too-many-attempts': (who) => `Zu viele Anmeldecodes versucht ${fromWhom(who)} – für den Rest der Stunde abgelehnt`,
    },
    signedOut: (who) => (who.kind === 'you' ? 'Sie haben sich abgemeldet' : `Anderswo abgemeldet${inBrowser(who.kind === 'other' ? who.browser : undefined)}`),
    expired: (who) => (who.kind === 'you' ? 'Ihre Sitzung ist nach einer Weile ohne Aktivität abgelaufen' : 'Eine Sitzung ist nach einer Weile ohne Aktivität abgelaufen'),
    timesSince: (n) => `${n}-mal seit`,
  },
  linkOutcome: {
    CustomerErrorMessageLinkExpired: 'Dieser Link funktioniert nicht mehr',
    CustomerErrorMessageWrongLink: 'Bitte verwenden Sie den neuesten Link',
    CustomerErrorMessageNewLink: 'Ein neuer Link ist unterwegs',
    CustomerErrorMessageRefreshFailed: 'Es konnte kein neuer Link erzeugt werden',
  },
  codeOffered: {
    title: 'Dieser Link wurde bereits benutzt',
    sameMail:
      'Dieser Link wurde bereits benutzt – von Ihnen oder vielleicht von der Sicherheitsprüfung Ihres E-Mail-Programms. Es wurde nichts Neues versendet: Geben Sie den Anmeldecode aus derselben E-Mail ein, um Ihr Ticket zu öffnen.',
    newerMail:
      'Dieser Link wurde bereits benutzt – von Ihnen oder vielleicht von der Sicherheitsprüfung Ihres E-Mail-Programms. Es wurde nichts Neues versendet: Geben Sie den Anmeldecode aus unserer neuesten E-Mail zu diesem Ticket ein.',
  },
  code: {
    title: 'Mit einem Code anmelden',
    explanation: 'Jede E-Mail mit einem Link enthält auch einen Anmeldecode. Geben Sie die Ticketnummer und den Code aus der E-Mail ein; jeder Code funktioniert einmal.',
    ticketNumber: 'Ticketnummer',
    code: 'Anmeldecode',
    codeHint: 'Acht Buchstaben und Ziffern, zum Beispiel 7KQ4-M9XT. Groß- und Kleinschreibung und Leerzeichen spielen keine Rolle.',
    submit: 'Anmelden',
    refusedTitle: 'Dieser Code hat kein Ticket geöffnet',
    refused:
      'Die Ticketnummer oder der Code stimmt nicht, oder der Code wurde schon benutzt oder durch eine neuere E-Mail ersetzt. Prüfen Sie beides anhand unserer neuesten E-Mail und versuchen Sie es erneut.',
    lockedTitle: 'Zu viele Versuche',
    locked: (until) => `Es wurden zu viele Anmeldecodes versucht. Bitte versuchen Sie es nach ${until} erneut. Der Link in der E-Mail funktioniert weiterhin.`,
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
    sent: (minutes) =>
      `Wenn dieses Ticket Ihnen gehört und für Sie noch offen ist, senden wir einen neuen Link an Ihre E-Mail-Adresse – höchstens einen alle ${minutes} Minuten; wenn Sie gerade eben schon angefragt haben, verwenden Sie den Link aus jener E-Mail.`,
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
  fileGone: { title: 'Datei nicht mehr vorhanden', message: 'Dateien werden eine begrenzte Zeit aufbewahrt, und die Zeit dieser ist vorbei. Wenn Sie sie noch brauchen, fragen Sie uns.' },
  filesTooLarge: {
    title: 'Zu viele oder zu große Dateien',
    message: (n, size) => `Eine Antwort nimmt bis zu ${n} Dateien mit zusammen ${size} an. Es wurde nichts hinzugefügt: Bitte gehen Sie zurück, lassen Sie eine Datei weg oder verkleinern Sie sie, und senden Sie erneut.`,
  },
};

/** A client that said what it is: as a subject, and after „von“. */
const AUTOMATED: Record<ClientKind, { nom: string; dat: string }> = {
  'mail-scanner': { nom: 'Ein E-Mail-Sicherheitsscanner', dat: 'einem E-Mail-Sicherheitsscanner' },
  'headless-browser': { nom: 'Ein automatisierter Browser', dat: 'einem automatisierten Browser' },
};
const inBrowser = (browser?: string) => (browser ? ` (${browser})` : '');
/** „Sie haben einen alten Link geöffnet“, „Ein E-Mail-Sicherheitsscanner hat …“, „Jemand hat anderswo …“. */
function opener(who: Who, what: string): string {
  if (who.kind === 'you') return `Sie haben ${what} geöffnet${inBrowser(who.browser)}`;
  if (!isAutomated(who)) return `Jemand hat anderswo ${what} geöffnet${inBrowser(who.browser)}`;
  return `${AUTOMATED[who.kind].nom} hat ${what} geöffnet`;
}
/** Who did it, with the auxiliary verb: „Sie haben“, „Ein E-Mail-Sicherheitsscanner hat“, „Jemand hat anderswo“. */
const actor = (who: Who) => (who.kind === 'you' ? 'Sie haben' : !isAutomated(who) ? 'Jemand hat anderswo' : `${AUTOMATED[who.kind].nom} hat`);
/** „von Ihnen“, „von anderswo“, „von einem E-Mail-Sicherheitsscanner“. */
const fromWhom = (who: Who) => (who.kind === 'you' ? 'von Ihnen' : !isAutomated(who) ? 'von anderswo' : `von ${AUTOMATED[who.kind].dat}`);

/**
 * Built-in defaults: English and German texts, the add-on's numbers. The add-on's NewLink text
 * ("Your session has expired — …") reads untrue to a person who signed out on purpose and clicked
 * the spent link again, so ours says what happened; configure the add-on's text to keep it.
 * Every template that carries {{Link}} carries {{Code}} too (docs/links-and-portal.md, "Sign-in codes").
 */
export const DEFAULTS = {
  AccessDaysAfterClose: 14,
  TokenMaxAgeDays: 30,
  RefreshMinIntervalMinutes: 10,
  CustomerHeaderSpoofProtection: true,
  CustomerUserBackend: 'DynamoDB',
  CustomerErrorMessageNewLink: {
    en: 'This link was already used, and its sign-in code too — a new link and code have been sent to your email address.',
    de: 'Dieser Link und sein Anmeldecode wurden bereits benutzt – ein neuer Link und ein neuer Code wurden an Ihre E-Mail-Adresse gesendet.',
  },
  CustomerErrorMessageRefreshFailed: {
    en: 'The link could not be generated, please email support directly.',
    de: 'Der Link konnte nicht erzeugt werden, bitte schreiben Sie direkt an den Support.',
  },
  CustomerErrorMessageLinkExpired: {
    en: 'Your link does not point to a ticket that is still valid.',
    de: 'Ihr Link verweist auf kein Ticket, das noch gültig ist.',
  },
  CustomerErrorMessageWrongLink: {
    en: 'For security reasons you must use the newest link we sent you to access this ticket.',
    de: 'Aus Sicherheitsgründen müssen Sie den neuesten Link verwenden, den wir Ihnen gesendet haben, um auf dieses Ticket zuzugreifen.',
  },
  TokenRefreshNotification: {
    Subject: {
      en: '[Ticket#{{TicketNumber}}] Your new access link',
      de: '[Ticket#{{TicketNumber}}] Ihr neuer Zugangslink',
    },
    Body: {
      en: 'Hello,\n\nhere is a new link to your ticket "{{Title}}":\n\n{{Link}}\n\nThe link works once. If you did not ask for it, you can ignore this message.\n\nSign-in code: {{Code}}\nLink already used, or reading this on another device? Enter the code with ticket number {{TicketNumber}} at {{CodeUrl}}\n\nYour support team',
      de: 'Guten Tag,\n\nhier ist ein neuer Link zu Ihrem Ticket „{{Title}}“:\n\n{{Link}}\n\nDer Link funktioniert einmal. Wenn Sie ihn nicht angefordert haben, können Sie diese Nachricht ignorieren.\n\nAnmeldecode: {{Code}}\nLink schon benutzt, oder lesen Sie dies auf einem anderen Gerät? Geben Sie den Code mit der Ticketnummer {{TicketNumber}} unter {{CodeUrl}} ein.\n\nIhr Support-Team',
    },
  },
  AutoReply: {
    Subject: {
      en: '[Ticket#{{TicketNumber}}] {{Title}}',
      de: '[Ticket#{{TicketNumber}}] {{Title}}',
    },
    Body: {
      en: 'Hello,\n\nthank you for your message. We have received it as ticket {{TicketNumber}} and will answer soon.\n\nYou can follow your ticket here, without a password:\n\n{{Link}}\n\nThe link works once; every new mail from us brings a fresh one.\n\nSign-in code: {{Code}}\nLink already used, or reading this on another device? Enter the code with ticket number {{TicketNumber}} at {{CodeUrl}}\n\nYour support team',
      de: 'Guten Tag,\n\nvielen Dank für Ihre Nachricht. Wir haben sie als Ticket {{TicketNumber}} erhalten und antworten bald.\n\nSie können Ihr Ticket hier ohne Passwort verfolgen:\n\n{{Link}}\n\nDer Link funktioniert einmal; jede neue Mail von uns bringt einen neuen.\n\nAnmeldecode: {{Code}}\nLink schon benutzt, oder lesen Sie dies auf einem anderen Gerät? Geben Sie den Code mit der Ticketnummer {{TicketNumber}} unter {{CodeUrl}} ein.\n\nIhr Support-Team',
    },
  },
  // Frames the agent's text without a greeting: the agent writes their own ("Guten Tag Herr Müller,").
  AgentReplyNotification: {
    Subject: {
      en: '[Ticket#{{TicketNumber}}] {{Title}}',
      de: '[Ticket#{{TicketNumber}}] {{Title}}',
    },
    Body: {
      en: '{{Text}}\n\n{{AgentName}}\n\nYou can read and answer your ticket here, without a password:\n\n{{Link}}\n\nThe link works once; every new mail from us brings a fresh one.\n\nSign-in code: {{Code}}\nLink already used, or reading this on another device? Enter the code with ticket number {{TicketNumber}} at {{CodeUrl}}',
      de: '{{Text}}\n\n{{AgentName}}\n\nSie können Ihr Ticket hier ohne Passwort lesen und beantworten:\n\n{{Link}}\n\nDer Link funktioniert einmal; jede neue Mail von uns bringt einen neuen.\n\nAnmeldecode: {{Code}}\nLink schon benutzt, oder lesen Sie dies auf einem anderen Gerät? Geben Sie den Code mit der Ticketnummer {{TicketNumber}} unter {{CodeUrl}} ein.',
    },
  },
  SupportAddress: 'support@localhost',
  SupportName: 'Support',
  OwnAddresses: [],
  PortalUrl: 'http://localhost:3000',
  Languages: ['en', 'de'],
  DefaultLanguage: 'en',
  SessionIdleMinutes: 30,
  SessionAbsoluteHours: 8,
  SessionScope: 'customer',
  AccessTrailDays: 90,
  SelfServiceLimits: { PerAddressPerHour: 5, PerClientIpPerHour: 30 },
  SignInCodeLimits: { PerTicketPerHour: 5, PerClientIpPerHour: 30 },
  EventSource: 'one-time-auth-links',
  HelpdeskEventSource: 'helpdesk',
  SweepSchedule: 'cron(0 4 * * ? *)',
  AutoReplyDailyCapPerSender: 10,
  Verdicts: {
    DropOnVirusFail: true,
    RejectOnSpamFail: true,
    RejectOnDmarcFailPolicies: ['quarantine', 'reject'],
    RejectOnSpfFail: false,
    RejectOnDkimFail: false,
  },
  RawMailPrefix: 'inbound/',
  ArticleTextMaxBytes: 100_000,
  InboundDedupDays: 7,
  PortalTimeZone: 'UTC',
  // 4 MiB of files: the text (up to 20 000 characters) and the form's own bytes still fit below
  // REPLY_ATTACHMENTS_MAX_BYTES (shared/config.ts says why the ceiling is where it is).
  ReplyAttachments: { MaxFiles: 10, MaxBytes: 4 * 1024 * 1024 },
} as const;

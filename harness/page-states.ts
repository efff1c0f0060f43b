/**
 * Every state of every customer page, rendered from shared/web with data that exercises it (long
 * texts, right-to-left text, files, hostile strings, both languages): what the accessibility suite
 * opens in Chromium (test/e2e/pages-a11y.test.ts) and the HTML checker validates
 * (scripts/check-html.ts, docs/testing.md "Valid HTML"). A new page or state is one entry here.
 */
import { readTrailEntry } from '../shared/domain/trail.js';
import {
  accessPage,
  accessSentPage,
  articlePage,
  codeLockedPage,
  codeOfferedPage,
  codePage,
  codeRefusedPage,
  errorPage,
  landingPage,
  messagePage,
  signedOutPage,
  ticketListPage,
  ticketPage,
  type ArticleView,
  type PageContext,
  type TicketPageInput,
  type TrailLine,
} from '../shared/web/pages.js';
import { ERROR_KINDS, texts } from '../shared/web/texts.js';

/** The request's client hint the ticket pages are shown to: its own entries read "You …". */
const VIEWER = 'Firefox, 203.0.113.0/24';
export const HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> &amp; invoice\u202Efdp.exe';

const en: PageContext = { language: 'en', supportName: 'ACME Support' };
const de: PageContext = { language: 'de', supportName: 'ACME Support' };
const hostileCtx: PageContext = { language: 'en', supportName: HOSTILE };

const at = (minute: number): string => new Date(Date.UTC(2026, 2, 4, 10, minute)).toISOString();

function longTicket(overrides: Partial<TicketPageInput> = {}): TicketPageInput {
  const articles: ArticleView[] = Array.from({ length: 6 }, (_, i) => ({
    articleId: `${at(i * 7)}#a${i}`,
    direction: i % 2 === 0 ? 'inbound' : 'outbound',
    fromName: i % 2 === 0 ? 'Alice Example' : 'ACME Support',
    fromAddress: i % 2 === 0 ? 'alice.with.a.rather.long.address@customer-subdomain.example.com' : 'support@example.com',
    subject: `Re: [Ticket#20260304000001] Printer on fire (${i})`,
    createdAt: at(i * 7),
    text: [
      'Hello,',
      '',
      'the printer in room 4.12 is on fire again.\nIt started after the update:\n    indented log line 1\n    indented log line 2',
      '',
      'Details: https://intranet.example.com/a/very/long/path/without/any/break/points/that/must/wrap/on/phones/0123456789abcdef',
      '',
      'مرحبا، هذا نص باللغة العربية', // right-to-left text keeps its direction (dir="auto")
      '',
      'Regards',
    ].join('\n'),
    textTruncated: i === 0,
    textCut: i === 2,
    attachments:
      i % 2 === 0
        ? [
            { filename: 'photo-of-the-printer.jpg', contentType: 'image/jpeg', size: 2_345_678, key: `attachments/20260304000001/a${i}/0` },
            { filename: `invoice\u202Efdp.exe`, contentType: 'application/octet-stream', size: 512, key: `attachments/20260304000001/a${i}/1` },
            { filename: 'a-very-long-file-name-without-spaces-that-needs-to-wrap-on-a-phone-screen.pdf', contentType: 'application/pdf', size: 88_000 },
          ]
        : [],
  }));
  const trail: TrailLine[] = [
    { at: at(59), event: 'session-expired', client: VIEWER },
    { at: at(50), event: 'signed-out', client: VIEWER },
    { at: at(42), event: 'self-service-requested', detail: 'link-mailed', client: 'Chrome, 2001:db8::/48' },
    { at: at(41), event: 'refresh-mailed' },
    { at: at(40), event: 'link-refused', detail: 'CustomerErrorMessageWrongLink', client: 'Safari, 198.51.100.0/24' },
    { at: at(6), event: 'link-used', client: VIEWER },
    { at: at(5), event: 'link-opened', client: VIEWER, count: 14, lastAt: at(30), lastClient: VIEWER },
    { at: at(3), event: 'code-refused', detail: 'wrong-code', client: 'Safari, 198.51.100.0/24', count: 3, lastAt: at(20), lastClient: 'Safari, 198.51.100.0/24' },
    { at: at(2), event: 'link-used', client: 'link scanner, 192.0.2.0/24', clientKind: 'headless-browser' },
    { at: at(2), event: 'link-opened', client: 'link scanner, 192.0.2.0/24', clientKind: 'mail-scanner' },
    { at: at(1), event: 'link-mailed' },
    { at: at(0), event: 'link-minted', detail: 'auto-reply' },
  ];
  return {
    ticket: { number: '20260304000001', title: 'Printer on fire', state: 'open', createdAt: at(0), updatedAt: at(42) },
    articles,
    trail,
    viewer: VIEWER,
    csrfToken: 'csrf-token',
    canReply: true,
    showListLink: true,
    files: { maxFiles: 10, maxBytes: 4 * 1024 * 1024 },
    olderBefore: `${at(0)}#a0`,
    ...overrides,
  };
}

const tickets = [
  { number: '20260305000002', title: 'Cannot log in to the VPN from the hotel network', state: 'pending' as const, createdAt: at(30), updatedAt: at(59) },
  { number: '20260304000001', title: 'Printer on fire', state: 'open' as const, createdAt: at(0), updatedAt: at(42) },
  { number: '20260301000007', title: HOSTILE, state: 'closed' as const, createdAt: at(1), updatedAt: at(2) },
];

/** Path → page. Every variant the handler can show, in both languages where texts differ in length. */
export const PAGE_STATES: Record<string, string> = {
  '/landing': landingPage(en, { ticketNumber: '20260304000001', formAction: '/r/20260304000001/token' }),
  '/landing-de': landingPage(de, { ticketNumber: '20260304000001', formAction: '/r/20260304000001/token' }),
  '/landing-hostile': landingPage(hostileCtx, { ticketNumber: HOSTILE, formAction: '/r/x' }),
  '/message-wrong-link': messagePage(en, {
    title: 'Use the newest link',
    message: 'For security reasons you must use the newest link we sent you to access this ticket.',
    offerNewLink: true,
  }),
  '/message-hostile': messagePage(hostileCtx, { title: HOSTILE, message: HOSTILE, offerNewLink: true, signInLink: true }),
  '/message-de': messagePage(de, { title: 'Link abgelaufen', message: 'Ihr Link verweist auf kein Ticket, das noch gültig ist.', offerNewLink: true }),
  ...Object.fromEntries(
    ERROR_KINDS.map((kind) => [
      `/error-${kind}`,
      errorPage(en, kind, { offerNewLink: kind === 'notFound' }),
    ]),
  ),
  '/error-de': errorPage(de, 'crossSiteForm', { signInLink: true }),
  '/list': ticketListPage(en, { customerEmail: 'alice@example.com', tickets, csrfToken: 'csrf' }),
  '/list-de': ticketListPage(de, { customerEmail: 'alice@example.com', tickets, csrfToken: 'csrf' }),
  '/list-empty': ticketListPage(en, { customerEmail: 'alice@example.com', tickets: [], csrfToken: 'csrf' }),
  '/list-hostile': ticketListPage(hostileCtx, { customerEmail: HOSTILE, tickets, csrfToken: HOSTILE }),
  '/ticket-long': ticketPage(en, longTicket()),
  '/ticket-long-de': ticketPage(de, longTicket()),
  '/ticket-closed-scoped': ticketPage(en, longTicket({ canReply: false, showListLink: false, ticket: { ...longTicket().ticket, state: 'closed' } })),
  '/ticket-empty': ticketPage(en, longTicket({ articles: [], trail: [], olderBefore: undefined })),
  '/ticket-reply-sent': ticketPage(en, longTicket({ replySent: true, olderBefore: undefined })),
  '/ticket-reply-sent-de': ticketPage(de, longTicket({ replySent: true, olderBefore: undefined })),
  '/ticket-older': ticketPage(en, longTicket({ showingOlder: true })),
  '/ticket-berlin-de': ticketPage({ ...de, timeZone: 'Europe/Berlin' }, longTicket({ filesKeptSince: at(10) })),
  '/ticket-no-uploads': ticketPage(en, longTicket({ files: { maxFiles: 0, maxBytes: 0 } })),
  '/article': articlePage(en, { ticket: longTicket().ticket, article: { ...longTicket().articles[2]!, textCut: false }, csrfToken: 'csrf' }),
  '/article-de': articlePage(de, { ticket: longTicket().ticket, article: { ...longTicket().articles[0]!, textCut: false }, csrfToken: 'csrf' }),
  '/article-hostile': articlePage(hostileCtx, { ticket: { number: HOSTILE, title: HOSTILE }, article: longTicket().articles[0]!, csrfToken: HOSTILE }),
  '/file-gone': messagePage(en, { title: texts('en').fileGone.title, message: texts('en').fileGone.message, offerNewLink: false, signInLink: true }),
  '/files-too-large-de': messagePage(de, { title: texts('de').filesTooLarge.title, message: texts('de').filesTooLarge.message(10, '4 MB'), offerNewLink: false, signInLink: true }),
  '/ticket-hostile': ticketPage(
    hostileCtx,
    longTicket({
      ticket: { number: HOSTILE, title: HOSTILE, state: 'new', createdAt: HOSTILE, updatedAt: HOSTILE },
      articles: [
        {
          articleId: HOSTILE,
          direction: 'inbound',
          fromName: HOSTILE,
          fromAddress: HOSTILE,
          subject: HOSTILE,
          createdAt: HOSTILE,
          text: `${HOSTILE}\n${HOSTILE}\n\n${HOSTILE}`,
          textTruncated: true,
          attachments: [{ filename: HOSTILE, contentType: HOSTILE, size: 1, key: HOSTILE }],
        },
      ],
      // As the table would hand it over: reading keeps the hostile time and client, not the unknown detail.
      trail: [readTrailEntry({ ticketNumber: HOSTILE, at: HOSTILE, event: 'link-refused', detail: HOSTILE, client: HOSTILE })],
      csrfToken: HOSTILE,
    }),
  ),
  '/signed-out': signedOutPage(en),
  '/signed-out-de': signedOutPage(de),
  '/access': accessPage(en),
  '/access-de': accessPage(de),
  '/access-prefilled-hostile': accessPage(hostileCtx, { ticketNumber: HOSTILE, email: HOSTILE }),
  '/access-sent': accessSentPage(en, { intervalMinutes: 10 }),
  '/access-sent-de': accessSentPage(de, { intervalMinutes: 10 }),
  '/code': codePage(en),
  '/code-de': codePage(de),
  '/code-prefilled': codePage(en, { ticketNumber: '20260304000001' }),
  '/code-prefilled-de': codePage(de, { ticketNumber: '20260304000001' }),
  '/code-refused': codeRefusedPage(en, { ticketNumber: '20260304000001' }),
  '/code-refused-de': codeRefusedPage(de, { ticketNumber: '20260304000001' }),
  '/code-refused-hostile': codeRefusedPage(hostileCtx, { ticketNumber: HOSTILE }),
  '/code-locked': codeLockedPage(en, { until: at(60) }),
  '/code-locked-de': codeLockedPage({ ...de, timeZone: 'Europe/Berlin' }, { until: at(60) }),
  '/code-offered': codeOfferedPage(en, { ticketNumber: '20260304000001', sameMail: true }),
  '/code-offered-de': codeOfferedPage(de, { ticketNumber: '20260304000001', sameMail: true }),
  '/code-offered-newer': codeOfferedPage(en, { ticketNumber: '20260304000001', sameMail: false }),
  '/code-offered-newer-de': codeOfferedPage(de, { ticketNumber: '20260304000001', sameMail: false }),
  '/message-with-code-link': messagePage(en, { title: 'This link no longer works', message: 'Your link does not point to a ticket that is still valid.', offerNewLink: true, offerCode: true }),
  '/message-with-code-link-de': messagePage(de, { title: 'Dieser Link funktioniert nicht mehr', message: 'Ihr Link verweist auf kein Ticket, das noch gültig ist.', offerNewLink: true, offerCode: true }),
};


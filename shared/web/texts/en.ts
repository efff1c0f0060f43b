/** The portal's English texts. */
import type { ClientKind } from '../../domain/model.js';
import type { Texts, Who } from '../texts.js';
import { bytesIn } from './bytes.js';
import { isAutomated } from './who.js';

export const EN: Texts = {
  portalName: 'Support portal',
  footer: 'You reach this portal with the one-time links in our emails — no password needed.',
  requestNewLink: 'Request a new link',
  backToTickets: 'All my tickets',
  signOut: 'Sign out',
  codeLink: 'Link already used, or on another device? Enter the code from the email',
  timesIn: (zone) => (zone === 'UTC' ? 'Times are shown in UTC.' : `Times are shown in the ${zone} time zone.`),
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
    readWhole: 'Read the whole message',
    moreFiles: (n) => (n === 1 ? '1 more file on the message’s own page' : `${n} more files on the message’s own page`),
    fileNotKept: 'not kept any more',
    olderMessages: 'Earlier messages',
    newestMessages: 'Newest messages',
    replySent: 'Your reply has been added to the ticket.',
    reply: 'Reply',
    replyLabel: 'Your reply',
    replyHint: 'Your reply is added to the ticket and we are notified.',
    replyButton: 'Send reply',
    filesLabel: 'Files (optional)',
    filesHint: (n, size) => `Up to ${n} files, ${size} together.`,
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
    trailIntro:
      'Every link to this ticket that was sent, opened or refused is listed here. “You” means this browser on this network; “elsewhere” any other. If something looks unfamiliar, tell us.',
    trailEmpty: 'Nothing recorded yet.',
  },
  article: {
    pageTitle: (what, n) => `${what} (ticket ${n})`,
    backToTicket: 'Back to the ticket',
  },
  trail: {
    event: {
      'link-minted': 'New link created',
      'link-mailed': 'Link sent',
      'link-opened': 'Link opened',
      'link-used': 'Signed in with a link',
      'link-refused': 'A link was refused',
      'code-used': 'Signed in with the code from an email',
      'code-refused': 'A sign-in code was refused',
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
    opened: (who) => (who.kind === 'you' ? `You opened the link${inBrowser(who.browser)}` : !isAutomated(who) ? `The link was opened${inBrowser(who.browser)}, elsewhere` : `${AUTOMATED[who.kind]} checked the link`),
    used: (who) => (who.kind === 'you' ? `You signed in${fromBrowser(who.browser)}` : !isAutomated(who) ? `Someone signed in with the link${inBrowser(who.browser)}, elsewhere` : `${AUTOMATED[who.kind]} signed in with the link`),
    codeUsed: (who) =>
      who.kind === 'you' ? `You signed in with the code from an email${fromBrowser(who.browser)}`
      : !isAutomated(who) ? `Someone signed in with the code from an email${inBrowser(who.browser)}, elsewhere`
      : `${AUTOMATED[who.kind]} signed in with the code from an email`,
    refused: {
      CustomerErrorMessageWrongLink: (who) => `${opener(who, 'an old link')} — refused: only the newest link works`,
      CustomerErrorMessageLinkExpired: (who) => `${opener(who, 'an expired link')} — refused`,
      CustomerErrorMessageNewLink: (who) => `${opener(who, 'a used link')} — refused, a new link was sent to you`,
      CustomerErrorMessageRefreshFailed: (who) => `${opener(who, 'a used link')} — refused, no new link could be made`,
      'rate-limited': (who) => `Too many attempts ${fromWhom(who)} — refused`,
      'code-offered': (who) => `${opener(who, 'a used link')} — nothing sent, the page asked for the sign-in code from the email`,
    },
    requested: {
      'link-mailed': (who) => `${requester(who)} a new link on the website — sent to your address`,
      'no-match': () => 'Someone requested a new link on the website with another address — nothing sent',
      'not-accessible': (who) => `${requester(who)} a new link on the website — this ticket no longer takes links`,
      'rate-limited': (who) => `${requester(who)} a new link on the website — too soon after the last one, nothing sent`,
      'mail-failed': (who) => `${requester(who)} a new link on the website — it could not be sent`,
    },
    codeRefused: {
      'wrong-code': (who) => `${actor(who)} entered a wrong sign-in code — refused`,
      'too-many-attempts': (who) => `Too many sign-in codes tried ${fromWhom(who)} — refused for the rest of the hour`,
    },
    signedOut: (who) => (who.kind === 'you' ? 'You signed out' : `Signed out${inBrowser(who.kind === 'other' ? who.browser : undefined)}, elsewhere`),
    expired: (who) => (who.kind === 'you' ? 'Your session ended after a while without activity' : 'A session ended after a while without activity'),
    timesSince: (n) => `${n} times since`,
  },
  linkOutcome: {
    CustomerErrorMessageLinkExpired: 'This link no longer works',
    CustomerErrorMessageWrongLink: 'Please use the newest link',
    CustomerErrorMessageNewLink: 'A new link is on its way',
    CustomerErrorMessageRefreshFailed: 'No new link could be made',
  },
  codeOffered: {
    title: 'This link was already used',
    sameMail:
      'This link was already used — by you, or perhaps by your email program’s security check. Nothing new was sent: enter the sign-in code from the same email to open your ticket.',
    newerMail:
      'This link was already used — by you, or perhaps by your email program’s security check. Nothing new was sent: enter the sign-in code from our newest email about this ticket.',
  },
  code: {
    title: 'Sign in with a code',
    explanation: 'Every email with a link also has a sign-in code. Enter the ticket number and the code from the email; each code works once.',
    ticketNumber: 'Ticket number',
    code: 'Sign-in code',
    codeHint: 'Eight letters and digits, for example 7KQ4-M9XT. Upper or lower case and spaces do not matter.',
    submit: 'Sign in',
    refusedTitle: 'This code did not open a ticket',
    refused:
      'The ticket number or the code is not right, or the code was already used or replaced by a newer email. Check both against our newest email and try again.',
    lockedTitle: 'Too many attempts',
    locked: (until) => `Too many sign-in codes were tried. Please try again after ${until}. The link in the email still works.`,
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
    sent: (minutes) =>
      `If this ticket is yours and still open to you, we send a new link to your email address — at most one every ${minutes} minutes, so if you asked a moment ago, use the link from that email.`,
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
  fileGone: { title: 'File no longer kept', message: 'Files are kept for a limited time, and this one’s time is over. If you still need it, ask us.' },
  filesTooLarge: {
    title: 'Too many or too large files',
    message: (n, size) => `A reply takes up to ${n} files of ${size} together. Nothing was added: please go back, leave out or shrink a file, and send again.`,
  },
};

/** A client that said what it is, as the subject of a sentence. */
const AUTOMATED: Record<ClientKind, string> = { 'mail-scanner': 'A mail security scanner', 'headless-browser': 'An automated browser' };
const inBrowser = (browser?: string) => (browser ? ` in ${browser}` : '');
const fromBrowser = (browser?: string) => (browser ? ` from ${browser}` : '');
/** "You opened an old link", "A mail security scanner opened…", "Someone opened … in Safari, elsewhere". */
function opener(who: Who, what: string): string {
  if (who.kind === 'you') return `You opened ${what}${inBrowser(who.browser)}`;
  if (!isAutomated(who)) return `Someone opened ${what}${inBrowser(who.browser)}, elsewhere`;
  return `${AUTOMATED[who.kind]} opened ${what}`;
}
/** Who did it, before a verb in the past: "You", "A mail security scanner", "Someone elsewhere". */
const actor = (who: Who) => (who.kind === 'you' ? 'You' : !isAutomated(who) ? 'Someone elsewhere' : AUTOMATED[who.kind]);
/** "from you", "from elsewhere", "by a mail security scanner". */
const fromWhom = (who: Who) => (who.kind === 'you' ? 'from you' : !isAutomated(who) ? 'from elsewhere' : `by ${AUTOMATED[who.kind].replace(/^A/, 'a')}`);
const requester = (who: Who) => `${actor(who)} requested`;

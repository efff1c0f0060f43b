/** The portal's English texts. */
import type { Texts } from '../texts.js';
import { bytesIn } from './bytes.js';

export const EN: Texts = {
  portalName: 'Support portal',
  footer: 'You reach this portal with the one-time links in our emails — no password needed.',
  requestNewLink: 'Request a new link',
  backToTickets: 'All my tickets',
  signOut: 'Sign out',
  codeLink: 'Link already used, or on another device? Enter the code from the email',
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
    refused: {
      CustomerErrorMessageWrongLink: 'Someone opened an old link — refused',
      CustomerErrorMessageLinkExpired: 'Someone opened an expired link — refused',
      CustomerErrorMessageNewLink: 'Someone opened a used link — refused, a new link was sent',
      CustomerErrorMessageRefreshFailed: 'Someone opened a used link — refused, no new link could be made',
      'rate-limited': 'Too many attempts — refused',
      'code-offered': 'Someone opened a used link — nothing sent, the page asked for the code from the email',
    },
    requested: {
      'link-mailed': 'New link requested on the website — sent to your address',
      'no-match': 'Someone requested a new link on the website with another address — nothing sent',
      'not-accessible': 'New link requested on the website — this ticket no longer takes links',
      'rate-limited': 'New link requested on the website — too soon after the last one, nothing sent',
      'mail-failed': 'New link requested on the website — it could not be sent',
    },
    codeRefused: {
      'wrong-code': 'A wrong sign-in code was entered — refused',
      'too-many-attempts': 'A sign-in code was entered after too many attempts — refused',
    },
    automated: {
      'mail-scanner': 'checked by a mail security scanner',
      'headless-browser': 'by an automated (headless) browser',
    },
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
};

/**
 * The customer pages as pure functions: data in, a complete HTML document out, one module per
 * area under pages/ (link, portal, self-service, code; the shell they share). The HTTP function decides
 * status, headers, cookies and which page to show.
 *
 * Constraints the markup is written for:
 * - The CSP (functions/http/security-headers.ts) allows no inline script or style: no `<script>`,
 *   no `style=`, one external stylesheet. Every page works without JavaScript and reads in order
 *   without CSS.
 * - Everything that did not come from these files goes through `escapeHtml`, configured texts
 *   included. Short user-supplied strings are also wrapped in `<bdi>` so a bidi override in a
 *   title or name cannot reorder the page text around it; file names lose their bidi controls
 *   entirely (the classic "invoice‮fdp.exe" spoof).
 * - The landing page is fetched by mail scanners before the person: it shows the ticket number
 *   and a button, nothing else.
 * - Paths come from the route table (shared/web/routes.ts pathOf), field names and limits from
 *   shared/web/forms.ts, words from shared/web/texts.ts.
 */
export type { PageContext } from './pages/shell.js';
export { errorPage, landingPage, messagePage } from './pages/link.js';
export { signedOutPage, ticketListPage } from './pages/portal.js';
export { articlePage, FILES_SHOWN, ticketPage, type ArticleView, type TicketPageInput, type TicketSummary } from './pages/ticket.js';
export { accessPage, accessSentPage } from './pages/self-service.js';
export { codeLockedPage, codeOfferedPage, codePage, codeRefusedPage } from './pages/code.js';
export { trailLines, whoOf, type TrailLine } from './pages/trail.js';

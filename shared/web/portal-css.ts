/**
 * The portal's only stylesheet, served by the handler at /static/portal.css (the CSP allows
 * `style-src 'self'` and nothing inline). Kept in code so the pages need no build step or asset
 * bucket. The pages read fine without it; it adds a calm column, spacing and clear focus.
 *
 * Colour pairs, contrast against their background (WCAG AA needs 4.5:1 for text, 3:1 for
 * borders and focus indicators):
 *   text   #1f2328 on #ffffff 15.8:1, on #f6f8fa 14.8:1
 *   muted  #57606a on #ffffff  6.4:1, on #f6f8fa  6.0:1 (also the input border)
 *   link / button #0b57d0 on #ffffff 6.4:1; #ffffff on #0b57d0 6.4:1; hover #0842a0 9.1:1
 *   focus  #9a3412 on #ffffff  7.3:1; against a blue button it is only 1.1:1, hence the
 *          2px white gap (outline-offset) between button and ring
 *   #d0d7de lines are decorative only; nothing depends on seeing them
 * axe-core re-checks the text pairs in Chromium (test/e2e/pages-a11y.test.ts).
 */
export const PORTAL_CSS = `:root {
  color-scheme: light;
  --text: #1f2328;
  --muted: #57606a;
  --line: #d0d7de;
  --subtle: #f6f8fa;
  --accent: #0b57d0;
  --accent-strong: #0842a0;
  --focus: #9a3412;
}

*, *::before, *::after { box-sizing: border-box; }

html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }

body {
  margin: 0 auto;
  max-width: 46rem;
  padding: 0 1rem 2rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 1rem;
  line-height: 1.5;
  color: var(--text);
  background: #ffffff;
  /* Long addresses, file names and URLs must not push the page wider than a phone. */
  overflow-wrap: anywhere;
}

.site-header {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  justify-content: space-between;
  gap: 0.5rem 1rem;
  padding: 0.75rem 0;
  border-bottom: 1px solid var(--line);
}
.site-header form { margin: 0; }
.brand { margin: 0; font-weight: 600; }

.site-footer {
  margin-top: 3rem;
  padding-top: 0.75rem;
  border-top: 1px solid var(--line);
  color: var(--muted);
  font-size: 0.875rem;
}

h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.5rem 0 1rem; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.05rem; line-height: 1.4; margin: 0 0 0.5rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.25rem; }

a { color: var(--accent); text-decoration: underline; text-underline-offset: 0.15em; }
a:hover { color: var(--accent-strong); }

.hint, .muted { color: var(--muted); }
.hint { font-size: 0.9375rem; }
.back { margin: 1rem 0 0; }

:is(a, button, input, textarea):focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
  box-shadow: 0 0 0 2px #ffffff;
}

button {
  font: inherit;
  font-weight: 600;
  padding: 0.55rem 1.1rem;
  min-height: 2.75rem;
  border: 2px solid var(--accent);
  border-radius: 0.375rem;
  background: var(--accent);
  color: #ffffff;
  cursor: pointer;
}
button:hover { background: var(--accent-strong); border-color: var(--accent-strong); }
/* Sign-out is secondary: outlined, so the page's main action stays the one that stands out. */
.sign-out button { background: #ffffff; color: var(--accent); min-height: 2.5rem; padding: 0.35rem 0.9rem; }
.sign-out button:hover { background: var(--subtle); color: var(--accent-strong); }

.field { margin: 0 0 1rem; }
.field label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.field .hint { margin: 0 0 0.35rem; }
input, textarea {
  font: inherit;
  color: var(--text);
  background: #ffffff;
  width: 100%;
  max-width: 100%;
  padding: 0.5rem 0.6rem;
  border: 1px solid var(--muted);
  border-radius: 0.25rem;
}
input { max-width: 24rem; }
textarea { min-height: 10rem; resize: vertical; }

table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.5rem 0.5rem 0; border-bottom: 1px solid var(--line); }
thead th { border-bottom-width: 2px; }
tbody th { font-weight: 400; }
/* Dates and state names break between words only. */
.tickets td, .tickets thead th { overflow-wrap: break-word; }

dl { margin: 0; }
dl > div { display: flex; flex-wrap: wrap; gap: 0 0.5rem; }
dt { font-weight: 600; }
dt::after { content: ":"; }
dd { margin: 0; }

.message {
  margin: 0 0 1.25rem;
  padding: 0.75rem 1rem;
  border: 1px solid var(--line);
  border-left: 4px solid var(--muted);
  border-radius: 0.25rem;
}
.message.outbound { border-left-color: var(--accent); background: var(--subtle); }
.message-meta { font-size: 0.9375rem; margin-bottom: 0.75rem; }
/* Mail text: keep runs of spaces and indentation as the sender typed them; lines wrap. */
.message-text p { white-space: pre-wrap; margin: 0 0 0.75rem; }
.attachments { margin: 0; padding-left: 1.25rem; }

.trail { padding-left: 1.25rem; }
.trail li { margin-bottom: 0.25rem; }

/* On a phone, each ticket row becomes a small card: three columns of long German words and
   dates do not fit 320px. The markup's ARIA roles keep the table semantics; the header row is
   hidden visually only, and each cell shows its column name instead (empty alt text, because
   screen readers announce the column header already). */
@media (max-width: 30rem) {
  .tickets, .tickets caption, .tickets tbody, .tickets tr, .tickets th, .tickets td { display: block; }
  .tickets thead {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .tickets tr { padding: 0.6rem 0; border-bottom: 1px solid var(--line); }
  .tickets th, .tickets td { padding: 0.1rem 0; border: 0; }
  .tickets td::before { content: attr(data-label) ": "; content: attr(data-label) ": " / ""; font-weight: 600; }
}

@media (max-width: 36rem) {
  body { padding: 0 0.75rem 1.5rem; }
  h1 { font-size: 1.4rem; }
  table { font-size: 0.9375rem; }
  th, td { padding-right: 0.35rem; }
  .message { padding: 0.6rem 0.75rem; }
  input { max-width: 100%; }
}
`;

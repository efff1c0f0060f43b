/** The local bus's page for people: the rules (the stack's own and those added over the API) and the events, newest first. */
import { plural } from '../cli/format.js';
import { escapeHtml } from '../shared/html.js';
import type { BusEvent } from './event-bus.js';
import type { RuleBook } from './event-rules.js';

export function storePage(events: BusEvent[], rules: ReturnType<RuleBook['list']>): string {
  const ruleRows = rules
    .map(
      (r) => `<tr><td>${escapeHtml(r.bus)}</td><td>${escapeHtml(r.name)}${r.managed ? ' (the stack’s own)' : ''}</td><td>${escapeHtml(r.state)}</td>` +
        `<td><code>${escapeHtml(r.pattern)}</code></td><td>${r.targets.map((t) => `<code>${escapeHtml(t)}</code>`).join('<br>') || 'none'}</td></tr>`,
    )
    .join('\n');
  const eventRows = [...events]
    .reverse()
    .map(
      (e) => `<tr><td>${escapeHtml(e.time)}</td><td>${escapeHtml(e.eventBusName)}</td><td>${escapeHtml(e.source)}</td><td>${escapeHtml(e.detailType)}</td>` +
        `<td><pre>${escapeHtml(JSON.stringify(e.detail, null, 2))}</pre></td><td><code>${escapeHtml(e.id)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Event bus — local stack</title></head><body>
<h1>Event bus — local stack</h1>
<h2>Rules</h2>
<table><thead><tr><th>Bus</th><th>Rule</th><th>State</th><th>Event pattern</th><th>Targets</th></tr></thead>
<tbody>
${ruleRows}
</tbody></table>
<h2>Events</h2>
<p>${plural(events.length, 'event', 'events')}, newest first. As rule targets receive them: <a href="/store">/store</a></p>
<table><thead><tr><th>Time</th><th>Bus</th><th>Source</th><th>Detail type</th><th>Detail</th><th>Id</th></tr></thead>
<tbody>
${eventRows}
</tbody></table></body></html>`;
}

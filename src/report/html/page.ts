// The HTML report: one self-contained page (inline CSS, inline SVG, a few lines of inline script
// for filtering; no network): headline figures, charts by area and priority, the burn-down from
// history, moves and their verdicts, shims and their recorded use, and the remaining findings.

import type { Finding } from '../../core/finding.js';
import type { Summary } from '../../core/summary.js';
import { barChart, burnDown, esc } from './svg.js';

export interface HtmlMove {
  move: string;
  canonical: string;
  verdict: string;
  reason: string | null;
}

export interface HtmlShim {
  legacy: string;
  canonical: string;
  file: string;
  /** Uses recorded in the shim log, or null when no log was given. */
  uses: number | null;
}

/** One legacy path a shim usage log recorded. */
export interface HtmlUsage {
  legacy: string;
  canonical: string;
  uses: number;
  /** Distinct importing sites (file and line). */
  callers: number;
  /** A shim serves this path now. */
  inPlace: boolean;
}

export interface HtmlHistoryPoint {
  commit: string;
  date: string;
  violations: number;
}

export interface HtmlReportInput {
  title: string;
  generatedAt: string;
  summary: Summary;
  findings: Finding[];
  moves: HtmlMove[];
  shims: HtmlShim[];
  /** What the usage logs (`--usage`) recorded, by legacy path; null when none was given. */
  usage: HtmlUsage[] | null;
  history: HtmlHistoryPoint[];
  /** Prefix for finding links: `${linkBase}/${file}#L${line}`; relative paths when ''. */
  linkBase: string;
}

const PRIORITY_COLORS: Record<string, string> = { critical: '#dc2626', high: '#ea580c', medium: '#ca8a04', low: '#64748b' };
const VERDICT_CLASS: Record<string, string> = { same: 'ok', divergent: 'bad', unresolved: 'bad', dynamic: 'warn' };

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#0f172a;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:20px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#cbd5e1}
main{padding:24px 32px}
section{overflow-x:auto;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:16px 20px;margin:0 0 20px}
h2{font-size:17px;margin:0 0 12px}h3{font-size:15px;margin:18px 0 8px}
.headline{display:flex;gap:16px;flex-wrap:wrap}
.figure{flex:1 1 150px;border:1px solid #e2e8f0;border-radius:8px;padding:12px 16px;background:#fff}
.figure .n{font-size:28px;font-weight:700}.figure .l{color:#475569}
.charts{display:flex;gap:20px;flex-wrap:wrap}
figure.chart{margin:0;flex:1 1 560px;min-width:0}figcaption{font-weight:600;margin-bottom:6px}
figure.chart svg{max-width:100%;height:auto}
svg text{font-size:12px;fill:#334155}svg .value{font-weight:600}svg .grid{stroke:#e2e8f0}svg .axis{stroke:#94a3b8}svg text.axis-title{font-weight:600;fill:#475569}svg text.tick-commit{font:11px ui-monospace,monospace;fill:#64748b}
.legend{display:flex;gap:16px;flex-wrap:wrap;color:#475569;font-size:12.5px;margin-top:4px}
.legend .swatch{display:inline-block;width:22px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:6px}
.legend .whole{background:linear-gradient(90deg,#dc2626,#ea580c,#ca8a04,#64748b)}
.legend .part{background:#64748b;box-shadow:inset 0 -5px 0 #00000066}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
td.loc,td.loc code{white-space:nowrap}td code{overflow-wrap:normal}td.why{overflow-wrap:anywhere}
th{background:#f1f5f9;font-weight:600}td.num,th.num{text-align:right}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace}
.ok{color:#15803d;font-weight:600}.bad{color:#b91c1c;font-weight:600}.warn{color:#a16207;font-weight:600}
.pill{display:inline-block;padding:0 8px;border-radius:10px;color:#fff;font-size:12px}
input#filter{width:100%;max-width:420px;padding:6px 10px;border:1px solid #cbd5e1;border-radius:6px;margin-bottom:10px}
.empty{color:#64748b}
`;

const SCRIPT = `
document.getElementById('filter').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase(), shown = 0;
  document.querySelectorAll('#findings tbody tr').forEach(function (tr) {
    var hit = tr.textContent.toLowerCase().indexOf(q) >= 0;
    tr.style.display = hit ? '' : 'none';
    if (hit) shown++;
  });
  document.getElementById('shown').textContent = shown;
});
`;

/** A dotted path that a narrow column breaks only after a dot or colon, never inside a name. */
function path(p: string): string {
  return `<code>${esc(p).replace(/([.:])/g, '$1<wbr>')}</code>`;
}

function link(input: HtmlReportInput, f: Finding): string {
  const href = `${input.linkBase ? input.linkBase.replace(/\/$/, '') + '/' : ''}${f.file.split('/').map(encodeURIComponent).join('/')}#L${f.line}`;
  return `<a href="${esc(href)}"><code>${esc(f.file)}:${f.line}:${f.column}</code></a>`;
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const s = input.summary;
  const remaining = input.findings.filter((f) => !f.suppressed && f.kind !== 'string-reference');
  const headline = [
    ['violations', s.violations, 'Violations'],
    ['fixable', s.fixable, 'Fixable now'],
    ['files', s.filesWithViolations, 'Files with violations'],
    ['scanned', s.filesScanned, 'Files scanned'],
    ['shims', input.shims.length, 'Shims in place'],
  ]
    .map(([id, n, l]) => `<div class="figure" id="fig-${id}"><div class="n">${esc(n)}</div><div class="l">${esc(l)}</div></div>`)
    .join('');
  const areaChart = barChart(
    'Violations by area',
    s.byArea.map((a) => ({ label: `${a.area} (${a.priority})`, value: a.violations, part: a.fixable, color: PRIORITY_COLORS[a.priority] ?? '#64748b' })),
    'chart-area',
    { whole: 'violations (colour: the area\'s priority)', part: 'of which fixable now (the dark stripe)' },
  );
  const prioChart = barChart(
    'Violations by priority',
    Object.entries(s.byPriority).map(([p, n]) => ({ label: p, value: n, color: PRIORITY_COLORS[p] ?? '#64748b' })),
    'chart-priority',
  );
  const burn = burnDown(
    'Burn-down: violations per commit',
    input.history.map((h) => ({ label: `${h.commit.slice(0, 8)} ${h.date.slice(0, 10)}`, value: h.violations, date: h.date.slice(0, 10), commit: h.commit.slice(0, 8) })),
    'chart-burndown',
  );
  const moves = input.moves
    .map(
      (m) =>
        `<tr><td>${path(m.move)}</td><td>${path(m.canonical)}</td><td class="${VERDICT_CLASS[m.verdict] ?? ''}">${esc(m.verdict)}</td><td class="why">${esc(m.reason ?? '')}</td></tr>`,
    )
    .join('');
  const shims = input.shims.length
    ? `<table id="shims"><thead><tr><th>legacy path</th><th>canonical path</th><th>file</th><th class="num">recorded uses</th></tr></thead><tbody>${input.shims
        .map(
          (sh) =>
            `<tr><td>${path(sh.legacy)}</td><td>${path(sh.canonical)}</td><td class="loc"><code>${esc(sh.file)}</code></td><td class="num">${sh.uses === null ? '—' : sh.uses}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No shims in place.</p>';
  const usage =
    input.usage === null
      ? ''
      : input.usage.length === 0
        ? '<h3>Recorded use</h3><p class="empty">The usage log recorded no use of a legacy path.</p>'
        : `<h3>Recorded use (usage log)</h3><table id="usage"><thead><tr><th>legacy path</th><th>canonical path</th><th class="num">uses</th><th class="num">callers</th><th>shim in place</th></tr></thead><tbody>${input.usage
            .map(
              (u) =>
                `<tr><td>${path(u.legacy)}</td><td>${path(u.canonical)}</td><td class="num">${u.uses}</td><td class="num">${u.callers}</td><td>${u.inPlace ? 'yes' : '<span class="warn">no</span>'}</td></tr>`,
            )
            .join('')}</tbody></table>`;
  const rows = remaining
    .map(
      (f) =>
        `<tr><td class="loc">${link(input, f)}</td><td><span class="pill" style="background:${PRIORITY_COLORS[f.priority]}">${esc(f.priority)}</span> ${esc(f.area)}</td><td>${esc(f.code)}</td><td>${path(f.legacy)}${f.canonical ? `<br>→&nbsp;${path(f.canonical)}` : ''}</td><td class="why">${f.fixable ? '<span class="ok">yes</span>' : `<span class="bad">no</span> ${esc(f.reason ?? '')}`}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(input.title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(input.title)}</h1><p>Generated ${esc(input.generatedAt)} by canon</p></header>
<main>
<section><h2>Headline</h2><div class="headline">${headline}</div></section>
<section><h2>Where the work is</h2><div class="charts">${areaChart}${prioChart}</div></section>
<section><h2>Progress</h2>${burn}</section>
<section><h2>Canonical paths</h2><table id="moves"><thead><tr><th>legacy</th><th>canonical</th><th>verify</th><th>why</th></tr></thead><tbody>${moves}</tbody></table></section>
<section><h2>Shims</h2>${shims}${usage}</section>
<section><h2>Remaining findings (<span id="shown">${remaining.length}</span>)</h2>
<input id="filter" type="search" placeholder="Filter by file, area, path…" aria-label="Filter findings">
<table id="findings"><thead><tr><th>location</th><th>area</th><th>code</th><th>legacy → canonical</th><th>fixable</th></tr></thead><tbody>${rows}</tbody></table></section>
</main><script>${SCRIPT}</script></body></html>
`;
}

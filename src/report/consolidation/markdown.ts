// The consolidation report as Markdown, in the sections a team's report has: executive summary,
// canonical paths, scan results, shims, batches, changes, quarantine, remaining work, metrics.

import { plural } from '../../migrate/plan.js';
import type { ConsolidationReport, MetricStatus } from './model.js';

const MARK: Record<MetricStatus, string> = { met: '✅', partial: '⚠️', 'not met': '❌' };
const STATUS_LINE: Record<ConsolidationReport['status'], string> = {
  'not started': 'not started: no `canon migrate` run yet',
  'in progress': '⏸️ in progress: the last run was interrupted (`canon migrate --resume` continues it)',
  completed: '✅ completed',
  'completed with quarantine': '⚠️ completed, with files quarantined for a person to look at',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
const short = (sha: string | null): string => (sha ? `\`${sha.slice(0, 10)}\`` : 'not committed');

export function consolidationMarkdown(r: ConsolidationReport): string {
  const h = r.headline;
  const out: string[] = ['# Import consolidation report', ''];
  out.push(`**Status**: ${STATUS_LINE[r.status]}  `, `**Generated**: ${r.generatedAt} by canon ${r.canonVersion}  `, `**Config**: \`${r.configFile}\``, '');

  out.push('## Executive summary', '');
  const same = r.canonical.filter((c) => c.verdict === 'same');
  const refused = r.canonical.filter((c) => c.verdict !== 'same');
  out.push(`- **Canonical paths**: ${plural(r.canonical.length, 'move')}; ${same.length} verified same-object${refused.length ? `, ${refused.length} refused (${refused.map((c) => `\`${c.move}\` is ${c.verdict}`).join('; ')})` : ''}.`);
  if (h.violationsBefore !== null) out.push(`- **Scan**: ${plural(h.violationsBefore, 'violation')} at the start of the first run; ${h.violationsNow} now (${h.fixableNow} of them fixable).`);
  else out.push(`- **Scan**: ${plural(h.violationsNow, 'violation')} (${h.fixableNow} fixable); no migration has run yet.`);
  out.push(`- **Changes**: ${plural(h.importsRewritten, 'import')} rewritten in ${plural(h.filesMigrated, 'file')}, over ${plural(h.batches, 'batch', 'batches')} (${h.batchesPassed} passed first time).`);
  if (h.baseline) out.push(`- **Validation**: baseline ${h.baseline}; ${h.lastValidation ? `${h.lastValidation} after the last kept batch; ` : ''}${plural(h.validationRuns, 'validation run')} in all, ${h.bisectRuns} of them bisecting.`);
  out.push(`- **Quarantined**: ${h.quarantined === 0 ? 'none' : `${plural(h.quarantined, 'file')}: ${r.quarantined.map((q) => `\`${q.file}\``).join(', ')} (see below)`}.`);
  const inPlace = r.shims.filter((s) => s.state !== 'removed').length;
  out.push(`- **Compatibility**: ${inPlace}/${r.shims.length} legacy modules still in place (${r.shims.filter((s) => s.state === 'canon shim').length} canon shims).`, '');

  out.push('## Canonical paths and verify verdicts', '', '| legacy | canonical | verify | violations now | why |', '|---|---|---|---:|---|');
  for (const c of r.canonical) out.push(`| \`${c.move}\` | \`${c.canonical}\` | ${c.verdict === 'same' ? '✅ same' : `❌ ${c.verdict}`} | ${c.violationsNow} | ${cell(c.reason ?? '')} |`);
  out.push('');

  out.push('## Scan results', '');
  const before = r.scan.before;
  const now = r.scan.now;
  out.push(`Files scanned: ${now.filesScanned}. Violations: ${before ? `${before.violations} before, ` : ''}${now.violations} now.`, '');
  out.push('### By area', '', `| area | priority | ${before ? 'before | ' : ''}now | fixable now |`, `|---|---|${before ? '---:|' : ''}---:|---:|`);
  const areas = new Map<string, { priority: string; before: number; now: number; fixable: number }>();
  for (const a of before?.byArea ?? []) areas.set(a.area, { priority: a.priority, before: a.violations, now: 0, fixable: 0 });
  for (const a of now.byArea) {
    const e = areas.get(a.area) ?? { priority: a.priority, before: 0, now: 0, fixable: 0 };
    e.now = a.violations;
    e.fixable = a.fixable;
    areas.set(a.area, e);
  }
  for (const [name, a] of areas) out.push(`| ${cell(name)} | ${a.priority} | ${before ? `${a.before} | ` : ''}${a.now} | ${a.fixable} |`);
  out.push('', '### By priority', '', `| priority | ${before ? 'before | ' : ''}now |`, `|---|${before ? '---:|' : ''}---:|`);
  for (const [p, n] of Object.entries(now.byPriority)) out.push(`| ${p} | ${before ? `${before.byPriority[p as keyof typeof before.byPriority]} | ` : ''}${n} |`);
  out.push('');

  out.push('## Shims in place', '', '| legacy module | file | state | serves | moves |', '|---|---|---|---|---|');
  for (const s of r.shims) {
    const serves = s.forward ? `everything, forwarded to \`${s.forward}\`` : s.serves.map((n) => `\`${n}\``).join(', ');
    out.push(`| \`${s.legacyModule}\` | ${s.file ? `\`${s.file}\`` : '—'} | ${s.state} | ${serves || '—'} | ${s.moves.map((m) => `\`${m}\``).join(', ')} |`);
  }
  out.push('');

  out.push('## Batches', '');
  if (r.batches.length === 0) out.push('No batch has run yet.', '');
  else {
    out.push('| run | batch | priority | area | files | imports | validation | runs | duration | status | commits |', '|---|---:|---|---|---:|---:|---|---:|---:|---|---|');
    for (const b of r.batches) {
      out.push(`| ${b.run} | ${b.n}/${b.of} | ${b.priority} | ${cell(b.area)} | ${b.files} | ${b.imports} | ${cell(b.validation)} | ${b.runs} | ${secs(b.durationMs)} | ${b.status} | ${b.commits.map((c) => `\`${c.slice(0, 10)}\``).join(', ') || '—'} |`);
    }
    out.push('');
  }

  out.push('## Changes made, file by file', '');
  if (r.changes.length === 0) out.push('None yet.', '');
  else {
    out.push('| file | imports | rewrites | commit |', '|---|---:|---|---|');
    for (const c of r.changes) out.push(`| \`${c.file}\` | ${c.imports} | ${c.details.map((d) => `\`${cell(d)}\``).join('<br>')} | ${short(c.commit)} |`);
    out.push('');
  }

  out.push('## Quarantined files', '');
  if (r.quarantined.length === 0) out.push('None: every rewritten file passed validation.', '');
  for (const q of r.quarantined) {
    out.push(`### \`${q.file}\``, '');
    out.push(`- **Why**: ${q.reason}`);
    out.push(`- **Imports left as they were**: ${q.imports} (${q.moves.map((m) => `\`${m}\``).join(', ')})`);
    if (q.failingTests.length) out.push(`- **Failing tests**: ${q.failingTests.map((t) => `\`${t}\``).join(', ')}`);
    out.push(`- **Full output**: \`${q.log}\``, '');
    if (q.excerpt) out.push('```text', q.excerpt, '```', '');
  }

  if (r.leftAlone.length > 0) {
    out.push('### Left alone', '', 'Planned, but not rewritten, so not validated either:', '');
    for (const x of r.leftAlone) out.push(`- \`${x.file}\`: ${x.reason}`);
    out.push('');
  }

  out.push('## Remaining work by area', '');
  if (r.remaining.length === 0) out.push('Nothing left: no violations.', '');
  else {
    out.push('| area | priority | violations | fixable | not fixable | files |', '|---|---|---:|---:|---:|---:|');
    for (const a of r.remaining) out.push(`| ${cell(a.area)} | ${a.priority} | ${a.violations} | ${a.fixable} | ${a.violations - a.fixable} | ${a.files} |`);
    out.push('', 'Not fixable means canon refuses the rewrite (a divergent or unresolved move, a star-import, …): `canon scan` says why for each.', '');
  }

  out.push('## Success metrics', '', '| metric | target | achieved | status |', '|---|---|---|---|');
  for (const m of r.metrics) out.push(`| ${cell(m.metric)} | ${cell(m.target)} | ${cell(m.achieved)} | ${MARK[m.status]} ${m.status} |`);
  out.push('');

  if (r.runs.length > 0) {
    out.push('## Runs', '', '| run | status | started | finished | resumed | validation command |', '|---|---|---|---|---:|---|');
    for (const x of r.runs) out.push(`| ${x.id} | ${x.status}${x.error ? `: ${cell(x.error)}` : ''} | ${x.startedAt} | ${x.finishedAt ?? '—'} | ${x.resumes} | \`${cell(x.validate)}\` |`);
    out.push('');
  }
  return out.join('\n');
}

// discover as Markdown to paste into an issue: summary, one table per symbol to consolidate, the
// breaches, the unresolved imports, and the moves as a TOML block.

import { describeKind, displayFile, moveToml, type DiscoverReport } from './format.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function discoverMarkdown(r: DiscoverReport): string {
  const res = r.result;
  const s = res.summary;
  const out: string[] = ['# canon discover report', '', '## Summary', ''];
  out.push(`- **Files scanned**: ${s.files} (${s.paths} distinct import paths)`);
  out.push(`- **Symbols to consolidate**: ${s.consolidation} (${s.moves} moves, ${s.importsToMove} imports to rewrite)`);
  out.push(`- **Names that resolve to different definitions**: ${s.breaches}`);
  out.push(`- **Unresolved imports**: ${s.unresolved}`);
  if (s.dynamic > 0) out.push(`- **Import paths canon could not follow**: ${s.dynamic}`);
  out.push('');

  if (res.consolidation.length > 0) {
    const configured = new Set(res.moves.filter((m) => m.configured).map((m) => m.from));
    out.push('## Symbols imported through more than one path', '');
    for (const c of res.consolidation) {
      out.push(`### \`${c.target}\` (${describeKind(c)})`, '');
      out.push(`Canonical: \`${c.canonical}\` (rule: ${c.rule})`, '');
      out.push('| path | imports | files | role |', '|---|---:|---:|---|');
      for (const p of c.paths) {
        let role: string = p.role === 'move' && configured.has(p.path) ? 'move (already in the config)' : p.role;
        if (p.role === 'move' && p.kept > 0) role += ` (${p.kept} kept: importing the canonical module runs their files)`;
        out.push(`| \`${cell(p.path)}\` | ${p.imports} | ${p.files} | ${role} |`);
      }
      out.push('');
    }
  }

  if (res.breaches.length > 0) {
    out.push('## Names that resolve to different definitions', '');
    out.push('| name | definition | kind | imports | files |', '|---|---|---|---:|---:|');
    for (const b of res.breaches) {
      for (const d of b.definitions) out.push(`| \`${cell(b.name)}\` | \`${cell(d.target)}\` | ${describeKind(d)} | ${d.imports} | ${d.files} |`);
    }
    out.push('');
  }

  if (res.unresolved.length > 0) {
    out.push('## Unresolved imports', '', '| location | import | reason |', '|---|---|---|');
    const rows = res.unresolved.flatMap((u) => u.sites.map((site) => ({ site, u })));
    rows.sort((a, b) => (a.site.file < b.site.file ? -1 : a.site.file > b.site.file ? 1 : 0) || a.site.line - b.site.line || a.site.column - b.site.column);
    for (const { site, u } of rows) {
      out.push(`| \`${cell(displayFile(r, site.file))}:${site.line}:${site.column}\` | \`${cell(u.import)}\` | ${cell(u.reason)} |`);
    }
    out.push('');
  }

  if (res.patched.length > 0) {
    out.push('## Re-exports that tests patch, kept', '', '| path | re-exports | uses | the module patched at |', '|---|---|---:|---|');
    for (const p of res.patched) {
      const at = p.patches.map((site) => `\`${cell(displayFile(r, site.file))}:${site.line}:${site.column}\` (\`${cell(site.patched)}\`)`).join(', ');
      out.push(`| \`${cell(p.path)}\` | \`${cell(p.target)}\` | ${p.imports} | ${at} |`);
    }
    out.push('');
  }

  const toml = moveToml(res);
  if (toml.length > 0) out.push('## Suggested moves', '', '```toml', ...toml, '```', '');
  if (s.consolidation === 0 && s.breaches === 0 && s.unresolved === 0) out.push('No consolidation work found.', '');
  return out.join('\n');
}

// discover as text for a terminal: each symbol to consolidate with its paths, the breaches, the
// unresolved imports (`path:line:col:` like scan), then the moves ready to paste into canon.toml.

import { describeKind, displayFile, moveToml, plural, type DiscoverReport } from './format.js';

function padStart(s: string | number, n: number): string {
  const t = String(s);
  return t.length >= n ? t : ' '.repeat(n - t.length) + t;
}

export function discoverText(r: DiscoverReport): string {
  const c = r.colors;
  const res = r.result;
  const s = res.summary;
  const out: string[] = [];

  if (res.consolidation.length > 0) {
    out.push(c.bold(`Symbols imported through more than one path (${res.consolidation.length}):`));
    const configured = new Set(res.moves.filter((m) => m.configured).map((m) => m.from));
    for (const g of res.consolidation) {
      out.push('', `${c.bold(g.target)} (${describeKind(g)})`);
      out.push(`  canonical: ${g.canonical} (rule: ${g.rule})`);
      const w = Math.max(7, ...g.paths.map((p) => String(p.imports).length));
      out.push(`  ${padStart('imports', w)}  ${padStart('files', 5)}  path`);
      for (const p of g.paths) {
        const note =
          p.role === 'canonical' ? 'canonical'
          : p.role === 're-export' ? "re-export on the canonical path's own chain: kept"
          : configured.has(p.path) ? 'already moved by the config'
          : '';
        const role = note === '' ? '' : c.dim(`  (${note})`);
        out.push(`  ${padStart(p.imports, w)}  ${padStart(p.files, 5)}  ${p.role === 'move' ? c.yellow(p.path) : p.path}${role}`);
      }
    }
    out.push('');
  }

  if (res.breaches.length > 0) {
    out.push(c.bold(`Names that resolve to different definitions (${res.breaches.length}):`));
    for (const b of res.breaches) {
      out.push('', `${c.red(b.name)}: ${plural(b.definitions.length, 'definition')}, imported ${plural(b.imports, 'time')} in ${plural(b.files, 'file')}`);
      for (const d of b.definitions) {
        out.push(`  ${d.target} (${describeKind(d)}): ${plural(d.imports, 'import')} in ${plural(d.files, 'file')}`);
        for (const p of d.paths) out.push(`    ${padStart(p.imports, 5)}  ${p.path}`);
      }
    }
    out.push('');
  }

  if (res.unresolved.length > 0) {
    out.push(c.bold(`Unresolved imports (${res.unresolved.length}):`));
    for (const u of res.unresolved) {
      for (const site of u.sites) {
        const loc = `${c.bold(displayFile(r, site.file))}${c.cyan(':')}${site.line}${c.cyan(':')}${site.column}${c.cyan(':')}`;
        out.push(`${loc} ${c.red(u.import)}: ${u.reason}`);
      }
      if (u.sites.length === 0) out.push(`${c.red(u.import)}: ${u.reason}`);
    }
    out.push('');
  }

  const toml = moveToml(res);
  if (toml.length > 0) {
    out.push(c.bold('Suggested moves (paste into canon.toml, then run `canon verify`):'), '', ...toml, '');
  }
  const configured = res.moves.filter((m) => m.configured).length;

  const parts = [
    `${plural(s.consolidation, 'symbol')} to consolidate (${plural(s.moves, 'move')}, ${plural(s.importsToMove, 'import')} to rewrite${configured > 0 ? `; ${configured} already configured` : ''})`,
    plural(s.breaches, 'breach', 'breaches'),
    plural(s.unresolved, 'unresolved import'),
  ];
  const clean = s.consolidation === 0 && s.breaches === 0 && s.unresolved === 0;
  const head = clean ? c.green('No consolidation work found.') : c.bold(`Found ${parts.join(', ')}.`);
  const tail = [`Scanned ${plural(s.files, 'file')}, ${plural(s.paths, 'distinct import path')}`];
  if (s.dynamic > 0) tail.push(`${s.dynamic} canon could not follow`);
  out.push(`${head} ${tail.join('; ')}.`);
  return out.join('\n') + '\n';
}

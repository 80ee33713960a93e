// discover as text for a terminal: each symbol to consolidate with its paths, the breaches, the
// unresolved imports (`path:line:col:` like scan), then the moves ready to paste into canon.toml.

import { describeKind, displayFile, moveToml, plural, type DiscoverReport } from './format.js';
import type { ImportSite, PathUse } from './model.js';

/** `file:line:col:` as scan prints it. */
function location(r: DiscoverReport, site: ImportSite): string {
  const c = r.colors;
  return `${c.bold(displayFile(r, site.file))}${c.cyan(':')}${site.line}${c.cyan(':')}${site.column}${c.cyan(':')}`;
}

function bySite(a: ImportSite | null, b: ImportSite | null): number {
  if (a === null || b === null) return Number(a === null) - Number(b === null);
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

/** What a path's line says besides its counts. */
function pathNote(p: PathUse, configured: boolean): string {
  switch (p.role) {
    case 'canonical':
      return 'canonical';
    case 're-export':
      return "re-export on the canonical path's own chain: kept";
    case 'kept':
      return 'kept: importing the canonical module runs every file that uses it (a cycle)';
    case 'patched':
      return 'kept: tests patch it here';
    case 'move': {
      const stay = p.kept > 0 ? `${plural(p.kept, 'import')} in ${plural(p.keptFiles, 'file')} kept: importing the canonical module runs ${p.keptFiles === 1 ? 'it' : 'them'}` : '';
      return [configured ? 'already moved by the config' : '', stay].filter((x) => x !== '').join('; ');
    }
  }
}

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
        const note = pathNote(p, configured.has(p.path));
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
    // By location, as scan lists them; an import canon could not locate again comes last.
    const lines: { site: ImportSite | null; text: string }[] = [];
    for (const u of res.unresolved) {
      for (const site of u.sites) lines.push({ site, text: `${location(r, site)} ${c.red(u.import)}: ${u.reason}` });
      if (u.sites.length === 0) lines.push({ site: null, text: `${c.red(u.import)}: ${u.reason}` });
    }
    lines.sort((a, b) => bySite(a.site, b.site));
    out.push(...lines.map((l) => l.text), '');
  }

  if (res.patched.length > 0) {
    out.push(c.bold(`Re-exports that tests patch, kept (${res.patched.length}):`));
    for (const p of res.patched) {
      const module = p.path.slice(0, p.path.indexOf(':'));
      const at = p.patches.map((site) => `${location(r, site).slice(0, -1)} (${site.patched.slice(module.length + 1)})`).join(', ');
      out.push(`${p.path} (re-exports ${p.target}; ${plural(p.imports, 'use')} left going through it): tests patch ${module} at ${at}`);
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
  if (s.patched > 0) tail.push(`${plural(s.patched, 're-export')} kept because tests patch ${s.patched === 1 ? 'it' : 'them'}`);
  out.push(`${head} ${tail.join('; ')}.`);
  return out.join('\n') + '\n';
}

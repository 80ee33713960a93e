// discover as JSON: a public contract (version 1), field for field the data in model.ts, keys in
// a fixed order. Timings are left out so that the same tree gives the same document.
//
// { version: 1, summary, consolidation[], moves[], breaches[], unresolved[], errors[], patched[] }
//   consolidation[]: { target, kind, line, canonical, rule, imports, toMove, paths[{path, imports, files, role, kept, keptFiles}] }
//   moves[]:         { from, to, imports, files, rule, configured, kept }
//   breaches[]:      { name, imports, files, definitions[{target, kind, line, imports, files, paths[{path, imports, files}]}] }
//   unresolved[]:    { import, reason, imports, sites[{file, line, column}] }   (file: root-relative)
//   patched[]:       { path, target, imports, patches[{file, line, column, patched}] }

import type { DiscoverReport } from './format.js';

export function discoverJson(r: DiscoverReport): string {
  const res = r.result;
  const doc = {
    version: 1,
    summary: res.summary,
    consolidation: res.consolidation.map((c) => ({
      target: c.target,
      kind: c.kind,
      line: c.line,
      canonical: c.canonical,
      rule: c.rule,
      imports: c.imports,
      toMove: c.toMove,
      paths: c.paths.map((p) => ({ path: p.path, imports: p.imports, files: p.files, role: p.role, kept: p.kept, keptFiles: p.keptFiles })),
    })),
    moves: res.moves.map((m) => ({ from: m.from, to: m.to, imports: m.imports, files: m.files, rule: m.rule, configured: m.configured, kept: m.kept })),
    breaches: res.breaches.map((b) => ({
      name: b.name,
      imports: b.imports,
      files: b.files,
      definitions: b.definitions.map((d) => ({
        target: d.target,
        kind: d.kind,
        line: d.line,
        imports: d.imports,
        files: d.files,
        paths: d.paths.map((p) => ({ path: p.path, imports: p.imports, files: p.files })),
      })),
    })),
    unresolved: res.unresolved.map((u) => ({
      import: u.import,
      reason: u.reason,
      imports: u.imports,
      sites: u.sites.map((s) => ({ file: s.file, line: s.line, column: s.column })),
    })),
    errors: res.errors.map((e) => ({ file: e.file, message: e.message })),
    patched: res.patched.map((p) => ({
      path: p.path,
      target: p.target,
      imports: p.imports,
      patches: p.patches.map((s) => ({ file: s.file, line: s.line, column: s.column, patched: s.patched })),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

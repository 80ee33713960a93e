// What a file patches: the dotted paths that `monkeypatch.setattr`, `mock.patch`, `patch.object`,
// `mocker.patch`, `setattr` and `delattr` calls name, either as one string
// (`mock.patch("app.timing.time")`) or as an object and an attribute name
// (`monkeypatch.setattr(timing, "time", fake)`, the object named through the file's imports). A
// module such as pytest's `_pytest.timing`, which re-exports `time.time` so that tests can patch it
// there, exists for its uses to go through it: discover keeps those instead of proposing to bypass
// them. Read from the raw text (a call in a comment counts too: canon errs towards keeping code).

import { LineTable } from '../python/lineTable.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind } from '../python/records.js';
import type { SelfModule } from './importKeys.js';
import { scanImports } from './importScan.js';

export interface PatchSite {
  /** The patched attribute as a dotted path, `module.name`. */
  path: string;
  /** 1-based, where the patched path or object is written. */
  line: number;
  column: number;
}

const CALL = /(?:\b|\.)(?:setattr|delattr|patch(?:\.object)?)\(\s*(?:(['"])([A-Za-z_][\w.]*)\1|([A-Za-z_][\w.]*)\s*,\s*(['"])([A-Za-z_]\w*)\4)/g;

/** Every path `text` patches. `self` is the file's module, for its relative imports. */
export function patchSites(text: string, self: SelfModule | undefined): PatchSite[] {
  if (!text.includes('patch') && !text.includes('setattr')) return [];
  let bound: Map<string, string> | null = null;
  let lines: LineTable | null = null;
  const out: PatchSite[] = [];
  for (const m of text.matchAll(CALL)) {
    let path: string | null;
    let at: number;
    if (m[2] !== undefined) {
      path = m[2].includes('.') ? m[2] : null;
      at = m.index + m[0].indexOf(m[2]) - 1;
    } else {
      bound ??= bindings(text, self);
      const [head, ...rest] = m[3].split('.');
      const base = bound.get(head);
      path = base === undefined ? null : [base, ...rest, m[5]].join('.');
      at = m.index + m[0].indexOf(m[3]);
    }
    if (path === null) continue;
    const pos = (lines ??= new LineTable(text)).position(at);
    out.push({ path, line: pos.line, column: pos.column });
  }
  return out;
}

/** Local name -> the dotted path its imports bind it to (a name bound twice keeps the last). */
function bindings(text: string, self: SelfModule | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of scanImports(text)) {
    if (st.kind === StmtKind.Import) {
      for (const n of st.names) {
        if (n.asname !== null) out.set(n.asname, n.name);
        else out.set(n.name.split('.')[0], n.name.split('.')[0]);
      }
      continue;
    }
    const module = st.level > 0 ? (self ? resolveRelative(st.level, st.module, self.name, self.isPackage) : null) : st.module;
    if (module === null) continue;
    for (const n of st.names) if (n.name !== '*') out.set(n.asname ?? n.name, `${module}.${n.name}`);
  }
  return out;
}

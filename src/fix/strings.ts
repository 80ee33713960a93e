// `--strings`: string literals that are exactly a legacy dotted path become the canonical path.
// A patch target (`mock.patch("old.X")`, `monkeypatch.setattr("old.X", ...)`) is different: it
// replaces the attribute where the name is LOOKED UP, so "canonical.X" patches something else unless
// canon can show that, after the fix, every run-time lookup goes through the canonical module
// (and nothing looked it up there before). The project hooks decide; otherwise canon explains.

import { MoveTable } from '../core/moveTable.js';
import type { FileState } from './fileState.js';

/** A call whose first argument names an attribute to replace: `patch(`, `mock.patch(`, `setattr(`... */
const PATCH_CALL = /(?:^|[^\w.])((?:[A-Za-z_]\w*\.)*(?:patch|patch\.object|patch\.multiple|setattr|delattr))\s*\(\s*$/;

export function planStrings(fs: FileState): void {
  const table = fs.table;
  for (const s of fs.lex.strings) {
    if (fs.skipped(s.start, s.end)) continue;
    const v = s.value;
    const parts = v.split('.');
    let canonical: string | null = null;
    let move = null;
    for (let i = parts.length - 1; i >= 1 && !canonical; i--) {
      const module = parts.slice(0, i).join('.');
      const sm = table.symbol(module, parts[i]);
      if (sm) {
        canonical = [sm.toModule, sm.toName, ...parts.slice(i + 1)].join('.');
        move = sm;
      }
    }
    if (!canonical) {
      const mm = table.moduleMoveFor(v);
      if (!mm) continue;
      canonical = MoveTable.mapModule(mm, v);
      move = mm;
    }
    const before = fs.text.slice(Math.max(0, s.start - 160), s.start);
    const call = PATCH_CALL.exec(before);
    if (call) {
      const why = patchVerdict(fs, v, canonical);
      if (why !== null) {
        fs.occur(s.start, s.end, move!, false, why);
        fs.note(s.start, `left "${v}" alone: ${call[1]}() replaces the name where it is looked up, and ${why}`);
        continue;
      }
    }
    const at = fs.text.indexOf(v, s.start);
    if (at < 0 || at + v.length > s.end) continue;
    fs.edit(at, at + v.length, fs.enc(canonical));
    fs.occur(s.start, s.end, move!, true);
  }
}

/** null when patching `canonical` is equivalent to patching `legacy`; else why it is not. */
function patchVerdict(fs: FileState, legacy: string, canonical: string): string | null {
  const hooks = fs.input.project;
  const l = legacy.lastIndexOf('.');
  const c = canonical.lastIndexOf('.');
  if (!hooks) return 'canon cannot see the rest of the project to check where it is looked up';
  return hooks.patchTarget(legacy.slice(0, l), legacy.slice(l + 1), canonical.slice(0, c), canonical.slice(c + 1));
}

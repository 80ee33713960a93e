// `--rename-uses`: `from old import Old` becomes `from new import New`, and every use of `Old` in
// the file becomes `New`, when scope analysis shows that is safe: `Old` is bound only by that
// import in its scope, `New` is not a name the file already uses, no star-import could bind either,
// and (at module level) no other file imports `Old` from this module. `__all__` entries follow.

import type { ImportAlias } from '../python/records.js';
import type { SyntaxNode } from '../python/parser.js';
import type { FileState } from './fileState.js';

export type RenameResult = { ok: true } | { ok: false; reason: string };

/** Rename the local name bound by import item `n` to `newName` everywhere it is used (edits), or say why not. */
export function renameUses(fs: FileState, n: ImportAlias, newName: string): RenameResult {
  const old = n.name;
  const sites = fs.scopes.sites(old);
  if (fs.broken) return { ok: false, reason: 'the file does not parse' };
  const own = sites.find((s) => s.occurrence === 'store' && s.start >= n.itemStart && s.end <= n.itemEnd);
  if (!own) return { ok: false, reason: `canon could not find the binding of \`${old}\`` };
  const same = sites.filter((s) => (s.scope === null ? own.scope === null : own.scope !== null && s.scope.id === own.scope.id));
  for (const s of same) {
    if (s.occurrence === 'uncertain') return { ok: false, reason: `\`${old}\` appears in a match pattern (line ${fs.lineOf(s.start)})` };
    if (s !== own && s.occurrence === 'store') return { ok: false, reason: `\`${old}\` is bound more than once (line ${fs.lineOf(s.start)})` };
  }
  if (own.scope === null && fs.scopes.hasStarImport()) return { ok: false, reason: 'the module has a star-import, which could bind either name' };
  const clash = fs.scopes.sites(newName);
  if (clash.length > 0) return { ok: false, reason: `\`${newName}\` is already a name in this file (line ${fs.lineOf(clash[0].start)})` };
  const self = fs.input.self;
  const hooks = fs.input.project;
  if (own.scope === null && self && hooks) {
    const users = hooks.importers(self.name, old);
    if (users.length > 0) return { ok: false, reason: `other files import \`${old}\` from ${self.name} (${users.slice(0, 3).join(', ')}${users.length > 3 ? ', ...' : ''})` };
  }
  const allEntries = own.scope === null ? dunderAllEntries(fs, old) : [];
  if (allEntries === null) return { ok: false, reason: '`__all__` is built in a way canon cannot follow' };
  const enc = fs.enc(newName);
  for (const s of same) if (s !== own) fs.edit(s.start, s.end, enc);
  for (const [a, b] of allEntries) fs.edit(a, b, enc);
  return { ok: true };
}

/** Spans of the string contents in `__all__` that are exactly `name`; null when `__all__` is built some other way. */
function dunderAllEntries(fs: FileState, name: string): [number, number][] | null {
  const out: [number, number][] = [];
  for (const i of fs.scopes.chunksMentioning('__all__')) {
    const pc = fs.scopes.parse(i);
    for (const id of pc.root.descendantsOfType('identifier')) {
      if (id.text !== '__all__') continue;
      const stmt = statementOf(id);
      if (!stmt) continue;
      const e = stmt.namedChildren[0];
      const isAssign = e && (e.type === 'assignment' || e.type === 'augmented_assignment') && e.childForFieldName('left')?.text === '__all__';
      const isCall = e && e.type === 'call' && /^__all__\.(append|extend|insert)$/.test(e.childForFieldName('function')?.text ?? '');
      if (!isAssign && !isCall) {
        // Read-only uses (`for x in __all__`) are fine; anything else that might build it is not.
        if (stmt.type === 'expression_statement' && /__all__\s*[+\-*]?=|__all__\.\w+\(/.test(stmt.text)) return null;
        continue;
      }
      for (const s of e!.descendantsOfType('string')) {
        if (s.descendantsOfType('interpolation').length > 0) continue;
        const contents = s.namedChildren.filter((c) => c.type === 'string_content');
        if (contents.length === 1 && contents[0].text === name) out.push([pc.off(contents[0].startIndex), pc.off(contents[0].endIndex)]);
      }
    }
  }
  // The same statement is met once per `__all__` identifier in it: keep each span once.
  const seen = new Set<number>();
  return out.filter(([a]) => !seen.has(a) && (seen.add(a), true));
}

function statementOf(n: SyntaxNode): SyntaxNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type.endsWith('statement')) return p;
  return null;
}

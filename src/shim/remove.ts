// Planning `canon shim --remove`: a legacy path leaves its shim once the scan finds nothing that
// still uses it (and, with usage logs, nothing recorded a use). The block goes, or shrinks to the
// paths still used; the module's other content stays, and a module canon created is deleted.

import type { Config } from '../config/types.js';
import { runScan } from '../scan/runScan.js';
import { sourceInfo, toBytes, encodeFor } from '../python/source.js';
import { moduleBindings } from '../python/bindings.js';
import type { RemoveOptions, ShimFile, ShimPlan, ShimRefusal } from './api.js';
import { isBlankLine, lineEnd } from './block.js';
import { applyEdits } from './edits.js';
import { listInstalledShims, type InstalledShim } from './inventory.js';
import { removeFromAll } from './legacyModule.js';
import { renderBlock } from './template.js';
import { legacyModule, readUsageLogs } from './usageLog.js';

export async function planShimRemoval(config: Config, opts: RemoveOptions = {}): Promise<ShimPlan> {
  const scan = opts.scan ?? (await runScan(config));
  const used = new Set<string>();
  const usedModules = new Set<string>();
  // Every finding counts, suppressed ones and string references (mock.patch("legacy.X")) too:
  // each still reaches the legacy path at run time.
  for (const f of scan.findings) {
    if (f.kind === 'unresolved') continue;
    used.add(f.legacy);
    usedModules.add(legacyModule(f.legacy));
  }
  if (opts.usageLogs?.length) {
    for (const r of readUsageLogs(opts.usageLogs, process.cwd()).records) {
      used.add(r.legacy);
      usedModules.add(legacyModule(r.legacy));
    }
  }
  const files: ShimFile[] = [];
  const refused: ShimRefusal[] = [];
  for (const s of listInstalledShims(config.root, scan.index)) {
    if (s.damaged !== null || s.span === null) {
      refused.push({ move: null, legacy: s.module, file: s.file, reason: `its shim block is damaged (${s.damaged}); fix it by hand`, stale: true });
      continue;
    }
    const f = removeFrom(s, config, used, usedModules, refused);
    if (f) files.push(f);
  }
  return { files, refused };
}

function removeFrom(s: InstalledShim, config: Config, used: Set<string>, usedModules: Set<string>, refused: ShimRefusal[]): ShimFile | null {
  const span = s.span!;
  const before = toBytes(s.bom + s.text);
  const unchanged = (): ShimFile => ({
    file: s.file, before, after: before, action: 'unchanged', module: s.module, names: s.rows.map((r) => r.name).sort(), forward: s.forward, removed: [],
  });
  let keep = s.rows;
  let forward = s.forward;
  let removed: string[];
  if (forward !== null) {
    // A forwarding module serves any attribute, and its package serves its submodules' imports.
    const needed = [...usedModules].some((m) => m === s.module || m.startsWith(s.module + '.'));
    if (needed) return unchanged();
    removed = [s.module];
    keep = [];
    forward = null;
  } else {
    keep = s.rows.filter((r) => used.has(`${s.module}:${r.name}`));
    if (keep.length === s.rows.length) return unchanged();
    removed = s.rows.filter((r) => !keep.includes(r)).map((r) => `${s.module}:${r.name}`);
  }
  const gone = new Set(s.rows.filter((r) => !keep.includes(r)).map((r) => r.name));

  let base = s.text.slice(0, span.start) + s.text.slice(span.end);
  let at = span.start;
  const info = sourceInfo(s.bom + s.text);
  let block = '';
  if (keep.length > 0) {
    const hasOwnAll = moduleBindings(base).names.has('__all__');
    block = encodeFor(renderBlock({ rows: keep, forward, category: config.shim.category, provideAll: !hasOwnAll }).replace(/\n/g, info.eol), info);
  } else if (at < base.length && isBlankLine(base, at) && (at === 0 || isBlankLine(base, lineStartBefore(base, at)))) {
    // The blank line canon put after the block goes with it.
    base = base.slice(0, at) + base.slice(lineEnd(base, at));
  } else if (at === base.length && at > 0 && isBlankLine(base, lineStartBefore(base, at))) {
    // At the end of the file: the blank line canon put before it.
    base = base.slice(0, lineStartBefore(base, at));
    at = base.length;
  }
  // A name no longer served must leave __all__ too, or `from legacy import *` would fail.
  const all = removeFromAll(base, gone);
  if (all.problem) {
    for (const name of gone) refused.push({ move: null, legacy: `${s.module}:${name}`, file: s.file, reason: all.problem, stale: false });
    return unchanged();
  }
  at = at + all.edits.filter((e) => e.end <= at).reduce((d, e) => d + e.text.length - (e.end - e.start), 0);
  const edited = applyEdits(base, all.edits);
  const text = edited.slice(0, at) + block + edited.slice(at);
  // A module that held nothing but the shim was created by canon: it goes.
  const after = text.trim() === '' ? null : toBytes(s.bom + text);
  return {
    file: s.file, before, after, action: after === null ? 'delete' : 'update', module: s.module, names: keep.map((r) => r.name).sort(), forward, removed,
  };
}

/** Start of the line before the one starting at `p` (`p` > 0, at a line start). */
function lineStartBefore(text: string, p: number): number {
  let i = p - 1;
  if (i > 0 && text[i] === '\n' && text[i - 1] === '\r') i--;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

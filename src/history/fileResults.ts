// One file's findings at one commit, reduced to counts, and when they may be reused. A result
// depends on the file's text (its blob), its path (areas, relative imports) and the module index
// of the commit (unresolved imports, `from . import x`). Analysis runs against a RecordingIndex
// that notes every module it asks about; a later commit reuses the result when its index answers
// those questions the same way and has the same top-level packages.

import { zeroByKind, type FindingKind, type RawFinding } from '../core/finding.js';
import { describeEntry, ModuleIndex, type ModuleEntry } from '../python/moduleIndex.js';

/** A ModuleIndex that notes, while `notes` is set, each module name it is asked about. */
export class RecordingIndex extends ModuleIndex {
  notes: Map<string, string> | null = null;
  /** The top-level packages, as one string: results computed under another key are stale. */
  readonly topKey: string = [...this.topLevels].sort().join('\n');

  override has(name: string): boolean {
    this.note(name);
    return super.has(name);
  }

  override get(name: string): ModuleEntry | undefined {
    this.note(name);
    return super.get(name);
  }

  /** What `get(name)` answers, as a string. */
  describe(name: string): string {
    return describeEntry(super.get(name));
  }

  /** What `ofFile(file)` answers, as a string. */
  describeFile(file: string): string {
    return describeEntry(this.ofFile(file));
  }

  private note(name: string): void {
    if (this.notes !== null && !this.notes.has(name)) this.notes.set(name, describeEntry(super.get(name)));
  }
}


export interface FileResult {
  /** Not suppressed, by kind. */
  byKind: Record<FindingKind, number>;
  suppressed: number;
  /** Not suppressed, by move id; legacy imports and unresolved imports only (see `strings`). */
  moves: [string, number][];
  /** String references by move id (counted as violations with --strings). */
  stringMoves: [string, number][];
  // Validity: the index answers these the same way.
  topKey: string;
  self: string;
  asked: string[];
  answers: string[];
}

export function fileResult(findings: readonly RawFinding[], index: RecordingIndex, file: string, notes: Map<string, string>): FileResult {
  const byKind = zeroByKind();
  const moves = new Map<string, number>();
  const stringMoves = new Map<string, number>();
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) {
      suppressed++;
      continue;
    }
    byKind[f.kind]++;
    if (f.move === null) continue;
    const m = f.kind === 'string-reference' ? stringMoves : moves;
    m.set(f.move, (m.get(f.move) ?? 0) + 1);
  }
  return {
    byKind,
    suppressed,
    moves: [...moves],
    stringMoves: [...stringMoves],
    topKey: index.topKey,
    self: index.describeFile(file),
    asked: [...notes.keys()],
    answers: [...notes.values()],
  };
}

/** May `r`, computed for `file` under another index, stand under `index`? */
export function stillValid(r: FileResult, index: RecordingIndex, file: string): boolean {
  if (r.topKey !== index.topKey || r.self !== index.describeFile(file)) return false;
  for (let i = 0; i < r.asked.length; i++) if (index.describe(r.asked[i]) !== r.answers[i]) return false;
  return true;
}

// A finding: one legacy import, unresolved import or string reference, as plain data.
// The JSON reporter writes these fields as they are: they are a public contract (see README).

import type { Priority } from '../config/types.js';

export type FindingKind = 'legacy-import' | 'unresolved' | 'string-reference';
export type FindingForm = 'from-import' | 'import' | 'attribute' | 'star' | 'string';

/** One stable code per kind. */
export const CODES: Record<FindingKind, string> = {
  'legacy-import': 'CAN001',
  unresolved: 'CAN002',
  'string-reference': 'CAN003',
};

/** A count per kind, all zero. */
export function zeroByKind(): Record<FindingKind, number> {
  return { 'legacy-import': 0, unresolved: 0, 'string-reference': 0 };
}

export interface Finding {
  /** Root-relative POSIX path. */
  file: string;
  /** 1-based; columns count characters. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Byte offsets of the finding's span in the file. */
  start: number;
  end: number;
  code: string;
  kind: FindingKind;
  form: FindingForm;
  /** `module:Name` for symbols, `module` for modules. */
  legacy: string;
  canonical: string | null;
  /** The id (`from`) of the move that applies, or null (unresolved). */
  move: string | null;
  area: string;
  priority: Priority;
  fixable: boolean;
  /** Why it is not fixable, or null. */
  reason: string | null;
  /** The whole statement's source text (for attribute uses: the dotted expression). */
  statement: string;
  /** Suppressed by `# canon: ignore`, `# noqa: CAN001` or per-file-ignores: counted, not reported as violations. */
  suppressed: boolean;
}

/** What the per-file analysis produces, before areas and verdicts are attached. */
export type RawFinding = Omit<Finding, 'area' | 'priority' | 'fixable' | 'reason'> & {
  /** A reason that makes the finding unfixable whatever the move's verdict (e.g. a star-import). */
  blocker: string | null;
};

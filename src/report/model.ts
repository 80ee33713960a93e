// What every scan reporter receives: findings, totals, verdicts, and where paths are relative to.

import type { Finding } from '../core/finding.js';
import type { Summary } from '../core/summary.js';
import type { MoveVerdict } from '../core/verify.js';
import type { Colors } from './colors.js';

export interface ScanReport {
  findings: Finding[];
  summary: Summary;
  verdicts: MoveVerdict[];
  /** --strings: string references count as violations. */
  strings: boolean;
  root: string;
  cwd: string;
  colors: Colors;
  version: string;
  /** --quiet: text formats print the violations only. */
  quiet?: boolean;
}

export type Reporter = (r: ScanReport) => string;

// `--format json-lines` (ruff's name): one finding per line, in the JSON document's finding shape
// (README), every finding the document lists (suppressed ones and string references flagged as
// such): for tools that read a stream line by line.

import { findingJson } from './json.js';
import type { ScanReport } from './model.js';

export function jsonLinesReport(r: ScanReport): string {
  return r.findings.map((f) => JSON.stringify(findingJson(f)) + '\n').join('');
}

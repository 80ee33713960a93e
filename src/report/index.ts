// The scan reporters, one small file per format, registered in one map.

import { githubReport } from './github.js';
import { jsonReport } from './json.js';
import { markdownReport } from './markdown.js';
import type { Reporter } from './model.js';
import { sarifReport } from './sarif.js';
import { textReport } from './text.js';

export const SCAN_FORMATS = ['text', 'json', 'markdown', 'sarif', 'github'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export const reporters: Record<ScanFormat, Reporter> = {
  text: textReport,
  json: jsonReport,
  markdown: markdownReport,
  sarif: sarifReport,
  github: githubReport,
};

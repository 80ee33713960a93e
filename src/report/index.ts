// The scan reporters, one small file per format, registered in one map.

import { conciseReport } from './concise.js';
import { githubReport } from './github.js';
import { gitlabReport } from './gitlab.js';
import { jsonReport } from './json.js';
import { jsonLinesReport } from './jsonLines.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import type { Reporter } from './model.js';
import { sarifReport } from './sarif.js';
import { textReport } from './text.js';

export const SCAN_FORMATS = ['text', 'concise', 'json', 'json-lines', 'markdown', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export const reporters: Record<ScanFormat, Reporter> = {
  text: textReport,
  concise: conciseReport,
  json: jsonReport,
  'json-lines': jsonLinesReport,
  markdown: markdownReport,
  sarif: sarifReport,
  github: githubReport,
  gitlab: gitlabReport,
  junit: junitReport,
};

/** Formats for people; the others are for machines (and never get progress or --quiet's trimming). */
export const TEXT_FORMATS: readonly ScanFormat[] = ['text', 'concise'];

// The history reporters, one small file per format, registered in one map.

import { historyCsv } from './csv.js';
import type { HistoryReporter } from './format.js';
import { historyJson } from './json.js';
import { historyText } from './text.js';

/** Keep in step with HISTORY_FORMATS in commands/history.ts (which does not load this file at start). */
export type HistoryFormat = 'text' | 'csv' | 'json';

export const historyReporters: Record<HistoryFormat, HistoryReporter> = {
  text: historyText,
  csv: historyCsv,
  json: historyJson,
};

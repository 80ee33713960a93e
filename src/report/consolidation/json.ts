// The consolidation report as JSON: the report model as it is (see model.ts for the contract).

import type { ConsolidationReport } from './model.js';

export function consolidationJson(r: ConsolidationReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

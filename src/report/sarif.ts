// SARIF 2.1.0, for code-scanning dashboards: one rule per finding code, one result per finding.

import { CODES } from '../core/finding.js';
import { isViolation } from '../core/summary.js';
import { findingMessage } from './text.js';
import type { ScanReport } from './model.js';

const RULES: Record<string, { name: string; text: string }> = {
  [CODES['legacy-import']]: { name: 'legacy-import', text: 'Import through a legacy path that has a canonical path' },
  [CODES.unresolved]: { name: 'unresolved-import', text: 'Import of a project module that does not exist' },
  [CODES['string-reference']]: { name: 'string-reference', text: 'String literal naming a legacy path' },
};

export function sarifReport(r: ScanReport): string {
  const ruleIds = Object.keys(RULES);
  const results = r.findings.map((f) => ({
    ruleId: f.code,
    ruleIndex: ruleIds.indexOf(f.code),
    level: isViolation(f, r.strings) || f.suppressed ? 'error' : 'note',
    message: { text: findingMessage(f) + (f.fixable || f.kind === 'unresolved' ? '' : ` (not fixable: ${f.reason})`) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource' }] } : {}),
    properties: { legacy: f.legacy, canonical: f.canonical, area: f.area, priority: f.priority, fixable: f.fixable },
  }));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'canon',
            version: r.version,
            rules: ruleIds.map((id) => ({ id, name: RULES[id].name, shortDescription: { text: RULES[id].text } })),
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

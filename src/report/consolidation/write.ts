// Builds the consolidation report from the migration journal and a fresh scan, and writes it as
// Markdown and JSON (by default under .canon/report/, which migrate keeps out of git; --out
// names any folder, outside the project too).

import { join, resolve } from 'node:path';
import type { Config } from '../../config/types.js';
import { summarize } from '../../core/summary.js';
import { writeFileAtomic } from '../../fs/atomic.js';
import { CANON_DIR, confinedPath, makeDirs } from '../../fs/confine.js';
import { scratchDir } from '../../fs/temp.js';
import { Journal } from '../../migrate/journal.js';
import { runScan, type ScanResult } from '../../scan/runScan.js';
import { VERSION } from '../../version.js';
import { consolidationJson } from './json.js';
import { consolidationMarkdown } from './markdown.js';
import { buildConsolidation, type ConsolidationReport } from './model.js';

export const REPORT_DIR = '.canon/report';

export interface WrittenReport {
  report: ConsolidationReport;
  markdown: string;
  json: string;
  /** Absolute paths of the files written. */
  paths: { markdown: string; json: string };
}

/** `outDir`: the folder the user named (relative to the working folder); default .canon/report. */
export async function writeConsolidationReport(config: Config, outDir?: string, given?: ScanResult): Promise<WrittenReport> {
  // Checked before the scan, so a bad folder costs nothing.
  const dir = outDir ? resolve(outDir) : confinedPath(config.root, REPORT_DIR, { key: '', under: CANON_DIR });
  const runs = new Journal(config.root).runs();
  const scan = given ?? (await runScan(config));
  // String references count as violations only when the last migration rewrote them (--strings).
  const summary = summarize(scan.findings, scan.verdicts, config.areas, scan.stats, runs.at(-1)?.options.strings ?? false);
  const report = buildConsolidation({ config, runs, summary, verdicts: scan.verdicts, index: scan.index, canonVersion: VERSION });
  const markdown = consolidationMarkdown(report);
  const json = consolidationJson(report);
  makeDirs(dir);
  const paths = { markdown: join(dir, 'consolidation.md'), json: join(dir, 'consolidation.json') };
  const scratch = scratchDir(config.root);
  writeFileAtomic(paths.markdown, Buffer.from(markdown), scratch);
  writeFileAtomic(paths.json, Buffer.from(json), scratch);
  return { report, markdown, json, paths };
}

// What every history reporter receives: the points, and the column names they share.

import type { Config } from '../config/types.js';
import { OTHER_AREA } from '../project/areas.js';
import type { HistoryPoint } from './model.js';

export interface HistoryReport {
  points: HistoryPoint[];
  /** Area names in config order, then `other`. */
  areas: string[];
  /** Move ids (`from`) in config order. */
  moves: string[];
  strings: boolean;
  /** The text table's width in characters (the terminal's; text.ts has a default). */
  width?: number;
}

export type HistoryReporter = (r: HistoryReport) => string;

export function historyReport(points: HistoryPoint[], config: Config, strings: boolean, width?: number): HistoryReport {
  return { points, areas: [...config.areas.map((a) => a.name), OTHER_AREA], moves: config.moves.map((m) => m.id), strings, width };
}

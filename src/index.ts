// canon as a library: the same engine the CLI runs, for tools that embed it. Each function prints
// nothing and returns plain data (see the README for the JSON shapes these records serialize to).

export { findConfig, loadConfig, formatConfigProblem } from './config/load.js';
export type { Config, Move, SymbolMove, ModuleMove, Area, Priority, ConfigProblem } from './config/types.js';
export { runScan, loadProject, type ScanResult, type ScanOptions } from './scan/runScan.js';
export type { Finding, FindingKind, FindingForm } from './core/finding.js';
export { summarize, type Summary } from './core/summary.js';
export { verifyMoves, type MoveVerdict, type Verdict } from './core/verify.js';
export { lexImports, lexPython } from './python/lexer.js';
export type { ImportStmt, ImportAlias, LexResult } from './python/records.js';
export { planFix, allRefusals } from './fix/plan.js';
export { writeFixPlan } from './fix/write.js';
// Take the lock around planning and writing, as the commands do: no other canon writes in between.
export { lockProject, LockedError, type ProjectLock } from './project/lock.js';
export { MachineFault, UsageError } from './core/errors.js';
export type { FixOptions, FixPlan, FileFix, Refusal } from './fix/api.js';
export { planShims, planShimRemoval, writeShims } from './shim/api.js';
export { collectHistory, type HistoryPoint } from './history/api.js';
export { discover } from './discover/api.js';
export { VERSION } from './version.js';

// The command line run from tsc's output (`node dist/main.js`): each command's code is imported
// only when that command runs; `--help` imports them all. The shipped command line is the bundle
// (dist/bin/canon.js, scripts/bundle.mjs), which splits the same way by file.

import { runCommandLine, type Commands } from './cli.js';

const COMMANDS: Commands = {
  scan: async () => (await import('./commands/scan.js')).registerScan,
  verify: async () => (await import('./commands/verify.js')).registerVerify,
  fix: async () => (await import('./commands/fix.js')).registerFix,
  shim: async () => (await import('./commands/shim.js')).registerShim,
  usage: async () => (await import('./commands/usage.js')).registerUsage,
  migrate: async () => (await import('./commands/migrate.js')).registerMigrate,
  report: async () => (await import('./commands/report.js')).registerReport,
  check: async () => (await import('./commands/check.js')).registerCheck,
  baseline: async () => (await import('./commands/baseline.js')).registerBaseline,
  init: async () => (await import('./commands/init.js')).registerInit,
  discover: async () => (await import('./commands/discover.js')).registerDiscover,
  history: async () => (await import('./commands/history.js')).registerHistory,
};

runCommandLine(COMMANDS);

// Runs `canon migrate` (migrateCommand, as the CLI does, signals included) in a process of its own
// with the test-double fixer, so the tests can interrupt it or kill it. Started with vite-node:
//   harness.ts <project root> '<options as JSON>'
// Prints the JSON event stream on stdout; exits with migrate's exit code (2 for usage errors).

import { migrateCommand } from '../../src/commands/migrate.js';
import { UsageError } from '../../src/core/errors.js';
import { jsonSink } from '../../src/migrate/progress.js';
import { fixer } from './fixture.js';

const [root, options] = process.argv.slice(2);
try {
  const r = await migrateCommand({ cwd: root, ...(JSON.parse(options ?? '{}') as object) }, { fixer: fixer(root), sink: jsonSink((s) => void process.stdout.write(s)) });
  process.stdout.write(r.stdout);
  process.exitCode = r.exitCode;
} catch (e) {
  process.stderr.write(`${e instanceof UsageError ? `error: ${e.message}\n${e.details.join('\n')}` : e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 3;
}

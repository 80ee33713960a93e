#!/usr/bin/env node
// Bundles tsc's output (dist/) into the command line canon ships, dist/bin/ (esbuild):
// - canon.js: the program. A two-line sh launcher (below), then a dispatcher that starts what the
//   command will wait for (src/early.ts: git, a walk, a worker) and runs the one file holding
//   the command named on the command line (src/codeCache.ts);
// - canon-<command>.cjs: one CommonJS script per command, with the command line and everything
//   that command needs; canon-all.cjs: every command, for `canon --help` and unknown words; each
//   with its V8 code cache, canon-<command>.cjs.v8cache (made at the end of this script);
// - scan-worker.js, discover-worker.js: the worker threads' scripts (ES modules).
// One file per command, not chunks shared between commands: Node loads ES modules one by one
// (resolve, read, link), and `check --changed-since` read its 29 files in 8-20 ms more than one
// file of the same code. Code shared by commands is repeated across their files, on disk only: a
// run loads one. tree-sitter stays outside (a native addon). See src/bundle.ts for what the bundle
// is told.

import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

// The build id (the scan cache's key): a hash of everything tsc emitted, in a fixed order.
const hash = createHash('sha256').update(version);
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && p !== join(ROOT, 'dist/bin')) walk(p);
    else if (e.isFile() && e.name.endsWith('.js')) hash.update(e.name).update(readFileSync(p));
  }
};
walk(join(ROOT, 'dist'));
const buildId = hash.digest('hex').slice(0, 16);

// Start empty, so that no file of an older build lingers.
rmSync(join(ROOT, 'dist/bin'), { recursive: true, force: true });

const { COMMAND_NAMES, registerOf } = await import(pathToFileURL(join(ROOT, 'dist/commands/names.js')).href);
const commandsEntry = (names) =>
  [
    "import { runCommandLine } from './dist/cli.js';",
    ...names.map((n) => `import { ${registerOf(n)} } from './dist/commands/${n}.js';`),
    `runCommandLine({ ${names.map((n) => `${n}: async () => ${registerOf(n)}`).join(', ')} });`,
  ].join('\n');
// The entry files are written here, not kept in the sources: each is two lines per command.
const ENTRIES = {
  canon: [
    "import { setFlagsFromString } from 'node:v8';",
    "import { fileURLToPath } from 'node:url';",
    "import { runBundled, V8_FLAGS } from './dist/codeCache.js';",
    "import { commandIn, isCommandName } from './dist/commands/names.js';",
    "import { restoreLaunchEnv } from './dist/core/launcher.js';",
    "import { startEarly } from './dist/early.js';",
    // First: the command's file is compiled under these flags, as its code cache was (codeCache.ts).
    'setFlagsFromString(V8_FLAGS);',
    // Before any process is started (see cli.ts), then git and the rest, then the command's code.
    'restoreLaunchEnv();',
    'const name = commandIn(process.argv);',
    // A guess (see early.ts): should it fail, the command finds nothing started and says why.
    'try { startEarly(process.argv, name); } catch {}',
    "const file = isCommandName(name) ? `canon-${name}.cjs` : 'canon-all.cjs';",
    'runBundled(fileURLToPath(new URL(file, import.meta.url)));',
  ].join('\n'),
  'canon-all': commandsEntry(COMMAND_NAMES),
  ...Object.fromEntries(COMMAND_NAMES.map((n) => [`canon-${n}`, commandsEntry([n])])),
};
const entries = {
  name: 'canon-entries',
  setup(b) {
    b.onResolve({ filter: /^canon-entry:/ }, (a) => ({ path: a.path.slice('canon-entry:'.length), namespace: 'canon-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'canon-entry' }, (a) => ({ contents: ENTRIES[a.path], resolveDir: ROOT, loader: 'js' }));
  },
};

const common = {
  absWorkingDir: ROOT,
  plugins: [entries],
  outdir: 'dist/bin',
  bundle: true,
  splitting: false,
  platform: 'node',
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-python'],
  define: { __CANON_BUNDLE__: 'true', __CANON_VERSION__: JSON.stringify(version), __CANON_BUILD__: JSON.stringify(buildId) },
  legalComments: 'none',
  logLevel: 'warning',
};
// The dispatcher and the worker threads' scripts: ES modules.
await build({
  ...common,
  entryPoints: { canon: 'canon-entry:canon', 'scan-worker': 'dist/scan/worker.js', 'discover-worker': 'dist/discover/worker.js' },
  format: 'esm',
  // Bundled CommonJS packages (commander) call require() for node's modules.
  banner: { js: "import { createRequire as __canonRequire } from 'node:module'; const require = __canonRequire(import.meta.url);" },
});
// The commands' files: CommonJS scripts, which the dispatcher runs with V8's code cache (codeCache.ts).
await build({
  ...common,
  entryPoints: Object.fromEntries(Object.keys(ENTRIES).filter((k) => k !== 'canon').map((k) => [k, `canon-entry:${k}`])),
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { ...common.define, 'import.meta.url': '__canonImportMetaUrl' },
  // Strict, as the ES modules they were: `'use strict'` opens the function node wraps them in.
  banner: { js: "'use strict'; const __canonImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// The command line starts as an sh script that execs node on itself: line 2 is a command for sh and,
// for node, a string then a comment. The launcher sets NODE_EXTRA_CA_CERTS aside, which Node 20
// otherwise reads at start-up with its own root certificates (37 ms on the bench machine, a quarter
// of a pre-commit check); canon makes no network connection, and cli.ts puts the variable back for
// the processes canon starts (src/core/launcher.ts). `node dist/bin/canon.js` skips the launcher.
const LAUNCHER = [
  '#!/bin/sh',
  `':' //; [ -z "\${NODE_EXTRA_CA_CERTS+x}" ] || { CANON_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export CANON_NODE_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS; }; exec node "$0" "$@"`,
  '',
].join('\n');
const entry = join(ROOT, 'dist/bin/canon.js');
const code = readFileSync(entry, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(entry, LAUNCHER + code);
chmodSync(entry, 0o755);

// V8's code cache for each command's file (src/codeCache.ts): each command runs once on a copy of
// the bundled example, with CANON_CODE_CACHE_WRITE=1, and leaves `canon-<command>.cjs.v8cache`
// holding what V8 compiled. Made by this node for this node: another version refuses it, and canon
// then compiles as usual. A command that cannot run here still leaves the cache of its start-up.
{
  const { mkdtempSync, cpSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { spawnSync } = await import('node:child_process');
  const work = mkdtempSync(join(tmpdir(), 'canon-train-'));
  const project = join(work, 'project');
  const example = join(ROOT, 'examples/websocket-consolidation');
  cpSync(example, project, { recursive: true, filter: (src) => !/(^|\/)(__pycache__|\.canon)(\/|$)/.test(relative(example, src).split('\\').join('/')) });
  const git = (...args) => spawnSync('git', ['-c', 'user.email=build@example.invalid', '-c', 'user.name=build', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], { cwd: project, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'example');
  const runs = {
    scan: ['scan'], check: ['check'], verify: ['verify'], fix: ['fix', '--diff'], shim: ['shim', '--diff'], discover: ['discover'],
    report: ['report'], history: ['history', '--commits', '1'], usage: ['usage'], baseline: ['baseline'], migrate: ['migrate', '--help'],
    init: ['init', '--help'], all: ['--help'],
  };
  const cli = join(ROOT, 'dist/bin/canon.js');
  const missing = [];
  for (const n of [...COMMAND_NAMES, 'all']) {
    const args = runs[n] ?? [n, '--help'];
    // Without NODE_OPTIONS: V8 flags there would make a cache that users' runs refuse.
    const env = { ...process.env, CANON_CODE_CACHE_WRITE: '1' };
    delete env.NODE_OPTIONS;
    spawnSync(process.execPath, [cli, ...args], { cwd: project, stdio: 'ignore', env, timeout: 120_000 });
    if (!existsSync(join(ROOT, `dist/bin/canon-${n}.cjs.v8cache`))) missing.push(n);
  }
  rmSync(work, { recursive: true, force: true });
  if (missing.length > 0) console.warn(`bundle: no code cache for ${missing.join(', ')} (those commands compile at every start)`);
}

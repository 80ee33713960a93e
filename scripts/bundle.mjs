#!/usr/bin/env node
// Bundles tsc's output (dist/) into the command line canon ships: dist/bin/canon.js and its worker
// scripts, with the code each command needs split into shared chunks (esbuild). Node then loads a
// handful of files instead of ~100 modules: ~35 ms less start-up for every command. tree-sitter
// stays outside (a native addon). See src/bundle.ts for what the bundle is told.

import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

// Chunk names carry content hashes: start empty so that no stale chunk lingers.
rmSync(join(ROOT, 'dist/bin'), { recursive: true, force: true });

await build({
  absWorkingDir: ROOT,
  entryPoints: { canon: 'dist/cli.js', 'scan-worker': 'dist/scan/worker.js', 'discover-worker': 'dist/discover/worker.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-python'],
  define: { __CANON_BUNDLE__: 'true', __CANON_VERSION__: JSON.stringify(version), __CANON_BUILD__: JSON.stringify(buildId) },
  // Bundled CommonJS packages (commander) call require() for node's modules.
  banner: { js: "import { createRequire as __canonRequire } from 'node:module'; const require = __canonRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
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

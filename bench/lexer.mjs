// Single-core throughput of canon's Python import lexer over a corpus held in memory.
//
//   npx tsc -p tsconfig.json && node bench/lexer.mjs [--stdlib-only] [--runs N] [--full] [root ...]
//
// `--full` runs `lexPython` with `{ strings: true, watch: {os, sys, re} }` instead of `lexImports`.
// Default root: this machine's Python stdlib (`sysconfig.get_paths()['stdlib']`), which on most
// installs contains site-packages too; `--stdlib-only` leaves out `site-packages` directories.
// Every `.py` file is read first (as a latin1 string, like canon does), then `lexImports` runs over
// all of them: the first pass is "cold" (the JIT is still warming up), the following ones "warm".
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexImports, lexPython } from '../dist/python/lexer.js';

const args = process.argv.slice(2);
let stdlibOnly = false;
let runs = 2;
let full = false;
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--stdlib-only') stdlibOnly = true;
  else if (args[i] === '--runs') runs = Math.max(2, Number(args[++i]));
  else if (args[i] === '--full') full = true;
  else roots.push(args[i]);
}
if (roots.length === 0) {
  roots.push(
    execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], {
      encoding: 'utf8',
    }).trim(),
  );
}

const files = [];
function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!(stdlibOnly && e.name === 'site-packages')) walk(p);
    } else if (e.isFile() && e.name.endsWith('.py')) files.push(p);
  }
}
for (const r of roots) walk(r);
files.sort();

const texts = files.map((f) => readFileSync(f).toString('latin1'));
let bytes = 0;
for (const t of texts) bytes += t.length;
const mb = bytes / 1e6;
console.log(
  `${texts.length} files, ${mb.toFixed(1)} MB (${roots.join(', ')}${stdlibOnly ? ', no site-packages' : ''})` +
    (full ? ', lexPython with strings + watch' : ', lexImports'),
);
const watch = new Set(['os', 'sys', 're']);

let sink = 0;
for (let r = 0; r < runs; r++) {
  const t0 = process.hrtime.bigint();
  let imports = 0;
  if (full) for (let i = 0; i < texts.length; i++) imports += lexPython(texts[i], { strings: true, watch }).imports.length;
  else for (let i = 0; i < texts.length; i++) imports += lexImports(texts[i]).imports.length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  sink += imports;
  console.log(
    `${r === 0 ? 'cold' : 'warm'}: ${ms.toFixed(0)} ms, ${(mb / (ms / 1000)).toFixed(0)} MB/s, ${imports} imports`,
  );
}
if (sink < 0) console.log(sink);

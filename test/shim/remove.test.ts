// canon shim --remove: legacy paths nothing uses any more leave their shims; the modules' other
// content stays, modules left empty go; --usage keeps paths a usage log saw used.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/project.js';
import { makeFixture, python } from './fixture.js';

const CANONICAL_USE = 'from newpkg.core import Thing, helper\nfrom newpkg.sub import f\n';

function shimmed(): string {
  const dir = makeFixture();
  expect(runCli(['shim'], { cwd: dir }).code).toBe(0); // with refusals (paths that do not exist, a divergent move): reported, not failed
  return dir;
}

describe('canon shim --remove', () => {
  test('removes every shim once no code uses a legacy path, keeping the modules\' other content', () => {
    const dir = shimmed();
    writeFileSync(join(dir, 'app/use.py'), CANONICAL_USE);
    const r = runCli(['shim', '--remove'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'removed    legacy/__init__.py  (legacy:Thing)',
        'removed    legacy/mod.py  (legacy.mod:Thing, legacy.mod:helper)',
        'removed    oldpkg/__init__.py  (oldpkg)',
        'deleted    oldpkg/sub.py  (oldpkg.sub)',
        '',
        '4 shims removed (1 file deleted), 0 still used.',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, 'legacy/mod.py'), 'utf8')).toBe(
      [
        '"""Legacy module: Thing and helper moved to newpkg.core."""',
        'from __future__ import annotations',
        '',
        'import os',
        'from newpkg.core import (',
        '    OTHER,  # stays',
        ')',
        '',
        'KEEP = OTHER + 1',
        '',
        '',
        'def keep_me() -> str:',
        '    return os.sep',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, 'legacy/__init__.py'), 'utf8')).toBe('"""Legacy package."""\nfrom newpkg.core import OTHER\nfrom .mod import KEEP\n');
    // The names the shim served leave __all__ too, so `from oldpkg import *` keeps working.
    expect(readFileSync(join(dir, 'oldpkg/__init__.py'), 'utf8')).toBe('__all__ = []\n');
    expect(existsSync(join(dir, 'oldpkg/sub.py'))).toBe(false);

    const again = runCli(['shim', '--remove', '--check'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('No shim to remove.\n');
    // canon shim does not bring back a shim nothing uses: the two agree.
    const check = runCli(['shim', '--check'], { cwd: dir });
    expect(check.stdout.split('\n').slice(-2)).toEqual(['All 0 shims up to date, 1 refused.', '']);
    expect(check.code).toBe(0);

    // (A script in the project that imports a legacy path is a use the scan sees: run it last.)
    const p = python(dir, 'after_remove.py', 'import legacy, legacy.mod, oldpkg\nfrom oldpkg import *\nprint(legacy.mod.KEEP, legacy.KEEP)\n', {}, ['-W', 'error']);
    expect(p.stderr).toBe('');
    expect(p.stdout).toBe('42 42\n');

  });

  test('keeps the legacy paths the scan still finds, row by row', () => {
    const dir = shimmed();
    writeFileSync(join(dir, 'app/use.py'), CANONICAL_USE + 'from legacy.mod import Thing as Old\nfrom oldpkg import helper\n');
    const check = runCli(['shim', '--remove', '--check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('stale      legacy/mod.py  (legacy.mod:helper)\n');
    const r = runCli(['shim', '--remove', '--format', 'json'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    const byFile = Object.fromEntries(doc.files.map((f: { file: string; action: string; names: string[] }) => [f.file, `${f.action} ${f.names.join(',')}`]));
    expect(byFile).toEqual({
      'legacy/__init__.py': 'update ',
      'legacy/mod.py': 'update Thing',
      // A forwarding package is kept while it is used; its unused submodule goes.
      'oldpkg/__init__.py': 'unchanged Thing,helper',
      'oldpkg/sub.py': 'delete ',
    });
    const p = python(dir, 'partial.py', 'import warnings\nwarnings.simplefilter("ignore")\nimport legacy.mod, newpkg.core\nprint(legacy.mod.Thing is newpkg.core.Thing, hasattr(legacy.mod, "helper"))\n');
    expect(p.stdout).toBe('True False\n');
    expect(runCli(['shim', '--check'], { cwd: dir }).code).toBe(0);
  });

  test('--usage keeps a legacy path a usage log recorded, even when the scan does not see it', () => {
    const dir = shimmed();
    writeFileSync(join(dir, 'app/use.py'), CANONICAL_USE);
    // A dynamic use: the scan cannot see it, the usage log does.
    const log = join(dir, 'uses.jsonl');
    python(dir, 'dynamic.py', 'import importlib\nm = importlib.import_module("legacy." + "mod")\ngetattr(m, "helper")\n', { CANON_SHIM_LOG: log });
    expect(readFileSync(log, 'utf8')).toContain('"legacy": "legacy.mod:helper"');
    const r = runCli(['shim', '--remove', '--usage', 'uses.jsonl', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const mod = JSON.parse(r.stdout).files.find((f: { file: string }) => f.file === 'legacy/mod.py');
    expect(mod).toMatchObject({ action: 'update', names: ['helper'], removed: ['legacy.mod:Thing'] });
  });

  test('usage mistakes exit 2', () => {
    const dir = makeFixture();
    const r = runCli(['shim', '--usage', 'x.jsonl'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --usage goes with --remove\n');
    expect(runCli(['shim', '--diff', '--check'], { cwd: dir }).stderr).toBe('error: --diff and --check cannot be combined\n');
    const missing = runCli(['shim', '--remove', '--usage', 'nope.jsonl'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: cannot read usage log nope.jsonl: no such file or folder (ENOENT); name the file CANON_SHIM_LOG pointed at\n');
  });
});

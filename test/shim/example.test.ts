// canon shim end to end on a copy of the example project: what it writes, that the project's own
// tests still pass and every legacy path still gives the canonical object, idempotence, --check
// on a hand-edited shim, --diff, --remove, --allow-divergent and `canon usage`.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { copyExample, git, runCli } from '../helpers/project.js';
import { pythonJson } from './fixture.js';

const SHIMMED = ['app/legacy_utils/__init__.py', 'app/legacy_utils/text.py', 'app/websocket_core/__init__.py', 'app/websocket_core/manager.py'];

const REFUSED_M3 = [
  'refused    app.websocket_core.unified_manager:UnifiedWebSocketManager  (app/websocket_core/unified_manager.py)',
  '           why: divergent: the legacy path is app.websocket_core.unified_manager._UnifiedImpl (class, line 17), the canonical path is app.websocket_core.websocket_manager.WebSocketManager (class, line 25); pass --allow-divergent to shim it anyway',
];

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** The file with its shim block replaced by a placeholder: what canon did to the module's own content. */
function outside(text: string): string {
  return text.replace(/# canon: begin shim\n[\s\S]*?# canon: end shim\n/, '<shim>\n');
}

function unittest(dir: string, env: Record<string, string> = {}): { ok: boolean; stderr: string } {
  const r = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests/mission_critical', '-t', '.'], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
  return { ok: r.status === 0, stderr: r.stderr };
}

let dir: string;
let first: { stdout: string; stderr: string; code: number };

beforeAll(() => {
  dir = copyExample();
  first = runCli(['shim'], { cwd: dir });
});

describe('canon shim on the example project', () => {
  test('shims the four same-object legacy modules and refuses the divergent move; done, so exit 0', () => {
    expect(first.stderr).toBe('');
    // The refusal is reported, with its reason; `canon verify` is what fails on it.
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      [
        'updated    app/legacy_utils/__init__.py  (forwards to app.utils; slugify, truncate_title)',
        'updated    app/legacy_utils/text.py  (forwards to app.utils.text; slugify, truncate_title)',
        'updated    app/websocket_core/__init__.py  (get_websocket_manager)',
        'updated    app/websocket_core/manager.py  (WebSocketManager, get_websocket_manager)',
        ...REFUSED_M3,
        '',
        '4 shims written (0 created, 4 updated), 0 unchanged, 1 refused.',
        '',
      ].join('\n'),
    );
    expect(read(dir, 'app/websocket_core/unified_manager.py')).toBe(readFileSync(join(copyExample(), 'app/websocket_core/unified_manager.py'), 'utf8'));
  });

  test("the modules' own imports of the moved names are gone; their other content stays", () => {
    expect(outside(read(dir, 'app/websocket_core/__init__.py'))).toBe(
      [
        '"""WebSocket core: connection management and event delivery for the chat golden path.',
        '',
        'The package-level ``get_websocket_manager`` is a legacy convenience re-export (issue #1196);',
        'new code imports it from ``app.websocket_core.websocket_manager``.',
        '"""',
        'from .websocket_manager import WebSocketManager',
        '',
        '<shim>',
        '',
        '__all__ = ["WebSocketManager", "get_websocket_manager"]',
        '',
      ].join('\n'),
    );
    expect(outside(read(dir, 'app/legacy_utils/text.py'))).toBe(
      '"""DEPRECATED: moved to ``app.utils.text`` (issue #1196); re-exports the same functions."""\n\n<shim>\n\n__all__ = ["slugify", "truncate_title"]\n',
    );
    const manager = read(dir, 'app/websocket_core/manager.py');
    expect(manager).toContain('    "WebSocketManager": ("app.websocket_core.websocket_manager", "WebSocketManager"),\n');
    expect(manager).toContain('    "get_websocket_manager": ("app.websocket_core.websocket_manager", "get_websocket_manager"),\n');
    expect(manager).toContain('if _canon_typing.TYPE_CHECKING:\n    from app.websocket_core.websocket_manager import (\n        WebSocketManager as WebSocketManager,\n');
  });

  test("the example's own tests still pass, and verify still follows every shimmed path", () => {
    const t = unittest(dir);
    expect(t.stderr).toMatch(/Ran 7 tests[\s\S]*\nOK\n$/);
    expect(t.ok).toBe(true);
    const v = JSON.parse(runCli(['verify', '--format', 'json'], { cwd: dir }).stdout) as { moves: { move: string; verdict: string }[] };
    expect(v.moves.map((m) => m.verdict)).toEqual(['same', 'same', 'divergent', 'same', 'same']);
  });

  test('every legacy path gives the identical object', () => {
    const r = pythonJson(dir, 'identity_check.py', `
import json, warnings
warnings.simplefilter("ignore")
import app.utils, app.utils.text, app.websocket_core.websocket_manager as c
import app.websocket_core, app.websocket_core.manager as m, app.legacy_utils, app.legacy_utils.text
from app.legacy_utils.text import truncate_title
print(json.dumps([
    m.WebSocketManager is c.WebSocketManager,
    m.get_websocket_manager is c.get_websocket_manager,
    app.websocket_core.get_websocket_manager is c.get_websocket_manager,
    app.legacy_utils.slugify is app.utils.slugify,
    truncate_title is app.utils.text.truncate_title,
]))
`);
    expect(r).toEqual([true, true, true, true, true]);
  });

  test('a second run changes nothing, and exits 0 as --check does in the same state', () => {
    const before = SHIMMED.map((f) => read(dir, f));
    const r = runCli(['shim'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(runCli(['shim', '--check'], { cwd: dir }).code).toBe(0);
    expect(r.stdout).toBe([...REFUSED_M3, '', '0 shims written (0 created, 0 updated), 4 unchanged, 1 refused.', ''].join('\n'));
    expect(SHIMMED.map((f) => read(dir, f))).toEqual(before);
  });

  test('--check passes when up to date, fails on a hand-edited shim, passes again after canon shim', () => {
    const ok = runCli(['shim', '--check'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n').slice(-2)).toEqual(['All 4 shims up to date, 1 refused.', '']);

    const file = join(dir, 'app/websocket_core/manager.py');
    const good = readFileSync(file, 'utf8');
    // Inside the block: a row pointed elsewhere. Outside: the removed import put back.
    writeFileSync(file, good.replace('("app.websocket_core.websocket_manager", "WebSocketManager")', '("app.websocket_core.unified_manager", "UnifiedWebSocketManager")'));
    const edited = runCli(['shim', '--check'], { cwd: dir });
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('stale      app/websocket_core/manager.py  (WebSocketManager, get_websocket_manager)\n');
    expect(edited.stdout).toContain('1 shim missing or stale, 1 refused: run `canon shim`.\n');
    expect(runCli(['shim'], { cwd: dir }).stdout).toContain('updated    app/websocket_core/manager.py');
    expect(readFileSync(file, 'utf8')).toBe(good);
    expect(runCli(['shim', '--check'], { cwd: dir }).code).toBe(0);

    writeFileSync(file, good.replace('"""\n\n# canon: begin shim', '"""\nfrom app.websocket_core.websocket_manager import WebSocketManager\n\n# canon: begin shim'));
    expect(runCli(['shim', '--check'], { cwd: dir }).code).toBe(1);
    runCli(['shim'], { cwd: dir });
    expect(readFileSync(file, 'utf8')).toBe(good);

    // A missing shim is reported as such.
    const fresh = copyExample();
    const missing = runCli(['shim', '--check'], { cwd: fresh });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('missing    app/websocket_core/manager.py  (WebSocketManager, get_websocket_manager)\n');
    expect(missing.stdout).toContain('4 shims missing or stale, 1 refused: run `canon shim`.\n');
  });

  test('--diff previews a patch that git applies to the same result, writing nothing', () => {
    const fresh = copyExample({ git: true });
    const r = runCli(['shim', '--diff'], { cwd: fresh });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('update     app/websocket_core/manager.py');
    expect(r.stderr).toContain('4 shims would be written (0 created, 4 updated), 0 unchanged, 1 refused.\n');
    expect(r.stdout.startsWith('--- a/app/legacy_utils/__init__.py\n+++ b/app/legacy_utils/__init__.py\n')).toBe(true);
    expect(git(fresh, 'status', '--porcelain')).toBe('');
    writeFileSync(join(fresh, '.patch'), r.stdout);
    git(fresh, 'apply', '.patch');
    for (const f of SHIMMED) expect(read(fresh, f)).toBe(read(dir, f));
    // Nothing left to preview: exit 0, as --check.
    expect(runCli(['shim', '--diff'], { cwd: dir }).code).toBe(0);
  });

  test('--format json', () => {
    const doc = JSON.parse(runCli(['shim', '--check', '--format', 'json'], { cwd: dir }).stdout);
    expect(doc).toMatchObject({ version: 1, mode: 'check', remove: false, exitCode: 0, errors: [] });
    expect(doc.files.map((f: { file: string; action: string }) => `${f.file} ${f.action}`)).toEqual(SHIMMED.map((f) => `${f} unchanged`));
    expect(doc.files[0]).toEqual({
      file: 'app/legacy_utils/__init__.py', module: 'app.legacy_utils', action: 'unchanged', names: ['slugify', 'truncate_title'], forward: 'app.utils', removed: [],
    });
    expect(doc.refused).toEqual([
      {
        move: 'app.websocket_core.unified_manager:UnifiedWebSocketManager',
        legacy: 'app.websocket_core.unified_manager:UnifiedWebSocketManager',
        file: 'app/websocket_core/unified_manager.py',
        reason: expect.stringMatching(/^divergent: /),
        stale: false,
      },
    ]);
  });

  test('--remove keeps every shim while the scan still finds legacy imports', () => {
    const r = runCli(['shim', '--remove'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 shims removed (0 files deleted), 4 still used.\n');
  });

  test('canon usage sums up a usage log written by the example tests', () => {
    const log = join(dir, 'uses.jsonl');
    expect(unittest(dir, { CANON_SHIM_LOG: log }).ok).toBe(true);
    const r = runCli(['usage', 'uses.jsonl', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.badLines).toBe(0);
    expect(doc.byLegacy.map((l: { legacy: string }) => l.legacy).sort()).toEqual([
      'app.legacy_utils.text:truncate_title',
      'app.legacy_utils:slugify',
      'app.websocket_core.manager:WebSocketManager',
      'app.websocket_core.manager:get_websocket_manager',
      'app.websocket_core:get_websocket_manager',
    ]);
    // Every in-project caller is one the scan found; mock.patch's lookups are the only unseen ones.
    expect(doc.unseen.map((u: { inProject: boolean }) => u.inProject)).toEqual([false, false]);
    expect(doc.unseen.every((u: { file: string }) => u.file.endsWith('unittest/mock.py'))).toBe(true);
    expect(doc.byCaller).toContainEqual({
      file: 'app/services/websocket/message_queue.py', line: 7, inProject: true, uses: 2,
      legacy: ['app.websocket_core.manager:WebSocketManager', 'app.websocket_core.manager:get_websocket_manager'],
    });
    expect(doc.unused).toEqual([]);
    const text = runCli(['usage', 'uses.jsonl'], { cwd: dir }).stdout;
    expect(text).toContain('Callers the static scan did not see:\n');
    expect(text).toContain('app/routes/websocket_routes.py:12  app.websocket_core.manager:WebSocketManager\n');
  });

  test('--allow-divergent shims the divergent move too', () => {
    const d = copyExample();
    const r = runCli(['shim', '--allow-divergent'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated    app/websocket_core/unified_manager.py  (UnifiedWebSocketManager)\n');
    const text = read(d, 'app/websocket_core/unified_manager.py');
    expect(text).not.toContain('\nUnifiedWebSocketManager = _UnifiedImpl');
    expect(text).toContain('    "UnifiedWebSocketManager": ("app.websocket_core.websocket_manager", "WebSocketManager"),\n');
  });
});

// `canon fix` as a user runs it (the built binary, NO_COLOR), on copies of the example project:
// exact summaries, --diff, exit codes, idempotence, and the example's own tests afterwards.

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { copyExample, makeProject, runCli } from '../helpers/project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function example(): string {
  const d = copyExample();
  dirs.push(d);
  return d;
}

/** The example's mission-critical tests: [ran, failures]. */
function unittest(dir: string): { ok: boolean; out: string } {
  const r = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests/mission_critical', '-t', '.'], { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stderr };
}

const REFUSED = `Refused (3):
  app/agents/supervisor/agent_registry.py:4:48: \`app.websocket_core.unified_manager:UnifiedWebSocketManager\`: divergent: the legacy path is app.websocket_core.unified_manager._UnifiedImpl (class, line 17), the canonical path is app.websocket_core.websocket_manager.WebSocketManager (class, line 25) (--allow-divergent rewrites it anyway)
  app/agents/supervisor/agent_registry.py:7:44: \`app.websocket_core.manager:WebSocketManager\`: a try/except pair imports \`WebSocketManager\` from both the legacy path and the canonical path app.websocket_core.websocket_manager; canon does not guess which branch to keep: keep \`from app.websocket_core.websocket_manager import WebSocketManager\` by hand
  app/services/corpus/clickhouse_operations.py:9:10: unresolved \`app.websocket_core.old_factory\`: module app.websocket_core.old_factory does not exist
`;

describe('canon fix on the example project', () => {
  test('--diff prints the rewrite, writes nothing, and says what it would do', () => {
    const dir = example();
    const before = readFileSync(join(dir, 'app/services/notifications.py'));
    const r = runCli(['fix', '--diff'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'app/services/notifications.py')).equals(before)).toBe(true);
    expect(r.stdout).toContain(`--- a/app/services/notifications.py
+++ b/app/services/notifications.py
@@ -1,12 +1,12 @@
 """User notifications (quota warnings, share invites) pushed over the chat WebSocket."""
 from __future__ import annotations
 
-import app.websocket_core.manager as legacy_mgr
+from app.websocket_core import websocket_manager
 
 NOTIFICATION_EVENT = "notification"
 
 
-def _deliver(ws: legacy_mgr.WebSocketManager, user_id: str, title: str, body: str) -> int:
+def _deliver(ws: websocket_manager.WebSocketManager, user_id: str, title: str, body: str) -> int:
`);
    // A symbol move never binds `manager` to another module: the uses go through the canonical one.
    expect(r.stdout).toContain(`-from app.websocket_core import manager
+from app.websocket_core import websocket_manager
`);
    expect(r.stdout).toContain(`-    ws = ws_manager if ws_manager is not None else manager.get_websocket_manager()
-    if not isinstance(ws, manager.WebSocketManager):
+    ws = ws_manager if ws_manager is not None else websocket_manager.get_websocket_manager()
+    if not isinstance(ws, websocket_manager.WebSocketManager):
`);
    expect(r.stdout).toContain(`-            ws = app.websocket_core.manager.get_websocket_manager()
+            ws = app.websocket_core.websocket_manager.get_websocket_manager()
`);
    // The diff applies with git from the project root.
    const check = spawnSync('git', ['apply', '--check', '-'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(r.stderr).toContain('9 files would change, 19 findings would be fixed.');
    expect(r.stderr).toContain(REFUSED);
  });

  test('fix rewrites 19 findings in 9 files; the summary is exact; a second run changes nothing', () => {
    const dir = example();
    const r = runCli(['fix'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`9 files changed, 19 findings fixed.

Rewritten, by move:
  app.websocket_core.manager:WebSocketManager -> app.websocket_core.websocket_manager:WebSocketManager            8 imports in 7 files
  app.websocket_core.manager:get_websocket_manager -> app.websocket_core.websocket_manager:get_websocket_manager  7 imports in 7 files
  app.websocket_core:get_websocket_manager -> app.websocket_core.websocket_manager:get_websocket_manager          2 imports in 2 files
  app.legacy_utils -> app.utils                                                                                   2 imports in 2 files

${REFUSED}
Not rewritten without --strings (1 string reference to a moved path):
  tests/mission_critical/test_services.py:38:25: \`app.websocket_core.manager:get_websocket_manager\`

Changed:
  app/agents/supervisor/execution_engine.py (2 findings)
  app/routes/utils/thread_title_generator.py (3 findings)
  app/routes/websocket_routes.py (2 findings)
  app/services/corpus/clickhouse_operations.py (2 findings)
  app/services/notifications.py (2 findings)
  app/services/websocket/message_queue.py (2 findings)
  app/websocket_core/supervisor_factory.py (3 findings)
  tests/mission_critical/test_golden_path_events.py (2 findings)
  tests/mission_critical/test_services.py (1 finding)

Every rewritten file was lexed and compiled with python3 before it was written.
`);
    // The planted breakage: the patch string still names the old module (README).
    const tests = unittest(dir);
    expect(tests.ok).toBe(false);
    expect(tests.out).toContain('FAILED (failures=1)');
    const again = runCli(['fix'], { cwd: dir });
    expect(again.stdout.startsWith('0 files changed, 0 findings fixed.\n')).toBe(true);
    // Only the three refused findings are left for scan.
    const scan = runCli(['scan', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(scan.stdout).findings as { file: string; line: number; kind: string }[];
    expect(findings.filter((f) => f.kind !== 'string-reference').map((f) => `${f.file}:${f.line}`)).toEqual([
      'app/agents/supervisor/agent_registry.py:4',
      'app/agents/supervisor/agent_registry.py:7',
      'app/services/corpus/clickhouse_operations.py:9',
    ]);
  });

  test('--strings also moves the patch target, once every lookup moves with it: all 7 tests pass', () => {
    const dir = example();
    const r = runCli(['fix', '--strings'], { cwd: dir });
    expect(r.stdout).toContain('9 files changed, 20 findings fixed.');
    expect(readFileSync(join(dir, 'tests/mission_critical/test_services.py'), 'utf8')).toContain(
      'mock.patch("app.websocket_core.websocket_manager.get_websocket_manager", return_value=fake)',
    );
    expect(unittest(dir).ok).toBe(true);
  });

  test('--strings on the tests alone leaves the patch target and explains why', () => {
    const dir = example();
    const r = runCli(['fix', '--strings', 'tests'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tests/mission_critical/test_services.py:38:25: `app.websocket_core.manager:get_websocket_manager`: 4 places would still look `get_websocket_manager` up in app.websocket_core.manager after this fix');
    expect(r.stdout).toContain('mock.patch() replaces the name where it is looked up');
    expect(unittest(dir).ok).toBe(true);
  });

  test('--allow-divergent rewrites the divergent move, loudly (and the registry test then fails)', () => {
    const dir = example();
    const r = runCli(['fix', '--allow-divergent', '--move', 'app.websocket_core.unified_manager:UnifiedWebSocketManager'], { cwd: dir });
    expect(r.stdout).toContain('WARNING: --allow-divergent: rewriting app.websocket_core.unified_manager:UnifiedWebSocketManager -> app.websocket_core.websocket_manager:WebSocketManager although verify says divergent');
    expect(readFileSync(join(dir, 'app/agents/supervisor/agent_registry.py'), 'utf8')).toContain(
      'from app.websocket_core.websocket_manager import WebSocketManager as UnifiedWebSocketManager\n',
    );
    expect(r.code).toBe(0);
    expect(unittest(dir).out).toContain('AgentRegistry needs a manager that buffers critical events');
  });

  test('filters: --area and a path narrow what is rewritten', () => {
    const dir = example();
    const r = runCli(['fix', '--area', 'routes'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('2 files changed, 5 findings fixed.\n')).toBe(true);
    const p = runCli(['fix', 'app/services/notifications.py'], { cwd: dir });
    expect(p.stdout.startsWith('1 file changed, 2 findings fixed.\n')).toBe(true);
    expect(p.code).toBe(0);
  });

  test('--format json: one document on stdout, with the diff under --diff; the same counts as the text summary', () => {
    const d = example();
    const before = readFileSync(join(d, 'app/routes/websocket_routes.py'));
    const dry = runCli(['fix', '--diff', '--format', 'json'], { cwd: d });
    expect(dry.code).toBe(1);
    expect(dry.stderr).toBe('');
    const plan = JSON.parse(dry.stdout);
    expect(plan.version).toBe(1);
    expect(plan.dryRun).toBe(true);
    expect(plan.diff).toContain('+++ b/app/routes/websocket_routes.py');
    expect(readFileSync(join(d, 'app/routes/websocket_routes.py')).equals(before)).toBe(true);
    expect(plan.summary).toMatchObject({ filesChanged: 9, fixed: 19, refused: 3, errors: 0, compiled: true });
    expect(plan.files.length).toBe(9);
    expect(plan.files.flatMap((f: { fixed: unknown[] }) => f.fixed).length).toBe(19);
    expect(plan.refused.map((r: { file: string; line: number; refusal: string }) => `${r.file}:${r.line} ${r.refusal.split(':')[0]}`)).toEqual([
      'app/agents/supervisor/agent_registry.py:4 divergent',
      'app/agents/supervisor/agent_registry.py:7 a try/except pair imports `WebSocketManager` from both the legacy path and the canonical path app.websocket_core.websocket_manager; canon does not guess which branch to keep',
      'app/services/corpus/clickhouse_operations.py:9 module app.websocket_core.old_factory does not exist',
    ]);
    const done = runCli(['fix', '--format', 'json'], { cwd: d });
    const written = JSON.parse(done.stdout);
    expect(written.dryRun).toBe(false);
    expect(written.diff).toBeUndefined();
    expect(written.summary.filesChanged).toBe(9);
    expect(readFileSync(join(d, 'app/routes/websocket_routes.py')).equals(before)).toBe(false);
    expect(runCli(['fix', '--format', 'yaml'], { cwd: d }).code).toBe(2);
  });

  test('usage errors exit 2', () => {
    const dir = example();
    expect(runCli(['fix', '--area', 'nowhere'], { cwd: dir }).code).toBe(2);
    expect(runCli(['fix', '--style', 'sideways'], { cwd: dir }).code).toBe(2);
    const missing = runCli(['fix', 'no/such/file.py'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: bad path argument:');
  });
});

describe('canon fix on small projects', () => {
  const tree = {
    'canon.toml': 'src = ["."]\n[[move]]\nfrom = "pkg.old:X"\nto = "pkg.new:X"\n',
    'pkg/__init__.py': '',
    'pkg/new.py': 'X = 1\n',
    'pkg/old.py': 'from pkg.new import X\n',
  };

  test('exit 0 when everything is fixed; the file keeps its mode', () => {
    const dir = makeProject({ ...tree, 'pkg/use.py': 'from pkg.old import X\n' });
    dirs.push(dir);
    chmodSync(join(dir, 'pkg/use.py'), 0o640);
    const r = runCli(['fix'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'pkg/use.py'), 'utf8')).toBe('from pkg.new import X\n');
    expect(statSync(join(dir, 'pkg/use.py')).mode & 0o777).toBe(0o640);
  });

  test('exit 0 and nothing to do on a clean project', () => {
    const dir = makeProject({ ...tree, 'pkg/use.py': 'from pkg.new import X\n' });
    dirs.push(dir);
    const r = runCli(['fix'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 files changed, 0 findings fixed.\n');
  });

  test('a file that does not parse is an error (exit 1) and is left as it was', () => {
    const broken = 'from pkg.old import X\ndef f(:\n    pass\n';
    const dir = makeProject({ ...tree, 'pkg/use.py': broken });
    dirs.push(dir);
    const r = runCli(['fix'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Errors (1 file left as they were):\n  pkg/use.py: does not compile with python3');
    expect(readFileSync(join(dir, 'pkg/use.py'), 'utf8')).toBe(broken);
  });

  test('a file CPython rejects is never rewritten: the whole original is compiled from its bytes', () => {
    const imp = 'from pkg.old import X\n';
    const rejected: Record<string, Buffer> = {
      'pkg/bad_utf8.py': Buffer.concat([Buffer.from(imp + 's = "'), Buffer.from([0xe9]), Buffer.from('"\n')]),
      'pkg/py2_print.py': Buffer.from(imp + 'print "hello"\n'),
      'pkg/py2_raise.py': Buffer.from(imp + 'def f():\n    raise ValueError, "x"\n'),
      'pkg/nul.py': Buffer.from(imp + 'y = 1\0\n'),
      'pkg/deep.py': Buffer.from(imp + 'z = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n'),
      'pkg/late_error.py': Buffer.from(imp + '\n\nclass C:\n    def f(self):\n        return 1 +\n'),
    };
    // Accepted by CPython, so rewritten: a declared latin-1 file, a BOM, CRLF.
    const latin1 = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n' + imp + 's = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const bom = Buffer.from('\ufeff' + imp.replace('\n', '\r\n') + 's = "é"\r\n', 'utf8');
    const dir = makeProject({ ...tree, ...rejected, 'pkg/latin1.py': latin1, 'pkg/bom.py': bom });
    dirs.push(dir);
    // python3 is the oracle for what it rejects.
    for (const f of Object.keys(rejected)) {
      const r = spawnSync('python3', ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")', join(dir, f)], { encoding: 'utf8' });
      expect(r.status, f).not.toBe(0);
    }
    const r = runCli(['fix'], { cwd: dir });
    expect(r.code).toBe(1);
    for (const [f, bytes] of Object.entries(rejected)) {
      expect(readFileSync(join(dir, f)).equals(bytes), f).toBe(true);
      expect(r.stdout).toMatch(new RegExp(`  ${f}: does not compile with python3 \\(.+\\); canon never touches such a file`));
    }
    expect(readFileSync(join(dir, 'pkg/latin1.py')).equals(Buffer.from(latin1.toString('latin1').replace('pkg.old', 'pkg.new'), 'latin1'))).toBe(true);
    expect(readFileSync(join(dir, 'pkg/bom.py')).equals(Buffer.from(bom.toString('latin1').replace('pkg.old', 'pkg.new'), 'latin1'))).toBe(true);
    expect(r.stdout).toContain('2 files changed, 2 findings fixed.');
  });

  test('without python3, bytes CPython would not decode are refused too', () => {
    const bad = Buffer.concat([Buffer.from('from pkg.old import X\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const ascii = Buffer.concat([Buffer.from('# coding: ascii\nfrom pkg.old import X\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const dir = makeProject({ ...tree, 'pkg/bad.py': bad, 'pkg/ascii.py': ascii, 'pkg/nul.py': 'from pkg.old import X\0\n' });
    dirs.push(dir);
    const r = runCli(['fix'], { cwd: dir, env: { CANON_PYTHON: 'none' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pkg/bad.py: the bytes are not valid utf-8 (no encoding is declared); CPython would reject the file, and canon never touches such a file');
    expect(r.stdout).toContain("pkg/ascii.py: 'ascii' codec can't decode byte 0xe9 at byte 43; CPython would reject the file");
    expect(r.stdout).toContain('pkg/nul.py: the file contains a NUL byte; CPython would reject the file');
    expect(readFileSync(join(dir, 'pkg/bad.py')).equals(bad)).toBe(true);
    expect(readFileSync(join(dir, 'pkg/ascii.py')).equals(ascii)).toBe(true);
  });

  test('--import-check imports each rewritten module in a fresh python3 and puts back those that fail only after the fix', () => {
    const dir = makeProject({
      ...tree,
      // Import-time code canon cannot see through: pkg.new insists on being imported through pkg.old.
      'pkg/new.py': 'import sys\nassert "pkg.old" in sys.modules, "import pkg.old first"\nX = 1\n',
      'pkg/fragile.py': 'from pkg.old import X\n',
      'pkg/fine.py': 'import pkg.old\nfrom pkg.old import X\n',
      'pkg/broken_before.py': 'from pkg.old import X\nraise RuntimeError("needs a database")\n',
    });
    dirs.push(dir);
    const r = runCli(['fix', '--import-check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'pkg/fragile.py'), 'utf8')).toBe('from pkg.old import X\n');
    expect(readFileSync(join(dir, 'pkg/fine.py'), 'utf8')).toBe('import pkg.old\nfrom pkg.new import X\n');
    expect(readFileSync(join(dir, 'pkg/broken_before.py'), 'utf8')).toBe('from pkg.new import X\nraise RuntimeError("needs a database")\n');
    expect(r.stdout).toContain('  pkg/fragile.py: `import pkg.fragile` fails after the rewrite (AssertionError: import pkg.old first); the file was put back');
    expect(r.stdout).toContain('Import check:\n  2 rewritten modules imported in a fresh python3 after the fix; 1 failed, and its file was put back (see Errors).');
    expect(r.stdout).toContain('  not judged: `import pkg.broken_before` failed before the fix already (RuntimeError: needs a database)');
    expect(r.stdout).toContain('2 files changed');
    // Importing wrote no bytecode into the project.
    expect(spawnSync('find', [dir, '-name', '__pycache__'], { encoding: 'utf8' }).stdout).toBe('');
    // A second run changes nothing it has not already judged.
    const again = runCli(['fix', '--import-check', '--format', 'json'], { cwd: dir });
    const doc = JSON.parse(again.stdout);
    expect(doc.importCheck.reverted).toEqual([{ file: 'pkg/fragile.py', module: 'pkg.fragile', error: 'AssertionError: import pkg.old first' }]);
    expect(doc.summary.filesChanged).toBe(0);
  });

  test('--import-check needs python3', () => {
    const dir = makeProject({ ...tree, 'pkg/use.py': 'from pkg.old import X\n' });
    dirs.push(dir);
    const r = runCli(['fix', '--import-check'], { cwd: dir, env: { CANON_PYTHON: 'none' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--import-check needs python3');
  });

  test('without python3, tree-sitter checks the files (CANON_PYTHON=none)', () => {
    const dir = makeProject({ ...tree, 'pkg/use.py': 'from pkg.old import X\n', 'pkg/bad.py': 'from pkg.old import X\ndef f(:\n    pass\n' });
    dirs.push(dir);
    const r = runCli(['fix'], { cwd: dir, env: { CANON_PYTHON: 'none' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pkg/bad.py: does not parse (tree-sitter); canon never touches such a file');
    expect(r.stdout).toContain('parsed with tree-sitter (python3 not available)');
    expect(readFileSync(join(dir, 'pkg/use.py'), 'utf8')).toBe('from pkg.new import X\n');
  });
});

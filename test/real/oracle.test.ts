// The harness's oracles can fail: hand-written before/after trees (no canon involved) that keep
// or break bindings, through oracle/targets.py (ast + symtable) and oracle/probe.py (imports in
// a venv whose path puts the tree first), and the classifier that names the finding.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/project.js';
import { classifyDiffs } from './findings.js';
import { compareProbes, makeVenv, modulesOf, type ProbeRecord, type TargetsReport } from './harness.js';

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'oracle');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const d = makeProject(files);
  dirs.push(d);
  return d;
}

function targets(before: Record<string, string>, after: Record<string, string>): TargetsReport {
  const b = tree(before);
  const a = tree({ ...before, ...after });
  const r = spawnSync('python3', [join(ORACLE, 'targets.py'), b, a], { input: JSON.stringify(modulesOf(b)), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as TargetsReport;
}

const PKG = {
  'pkg/__init__.py': 'from .impl import Engine as Engine\n',
  'pkg/impl.py': 'class Engine:\n    pass\n\ndef helper():\n    return 1\n',
  'pkg/events.py': 'class Loop:\n    pass\n',
  'app.py': 'from pkg.impl import Engine\nimport pkg.impl\nfrom pkg import events\n\ndef run():\n    return Engine(), pkg.impl.helper(), events.Loop()\n',
};

describe('oracle/targets.py', () => {
  it('finds nothing when the rewrite keeps every target (re-export, attribute use to a from-import)', () => {
    const r = targets(PKG, {
      'app.py': 'from pkg import Engine\nimport pkg.impl\nfrom pkg import events\n\ndef run():\n    return Engine(), pkg.impl.helper(), events.Loop()\n',
    });
    expect(r.diffs).toEqual([]);
    expect(r.bindings).toBeGreaterThan(0);
    expect(r.uses).toBe(3);
    const r2 = targets(PKG, {
      'app.py': 'from pkg.impl import Engine\nimport pkg.impl\nfrom pkg import events\nfrom pkg.impl import helper\n\ndef run():\n    return Engine(), helper(), events.Loop()\n',
    });
    expect(r2.diffs).toEqual([]);
  });

  it('a package importing a name from itself: the binding becomes a cycle (F1)', () => {
    const r = targets({ ...PKG, 'app.py': 'from pkg import Engine\n\nEngine()\n' }, { 'pkg/__init__.py': 'from . import Engine as Engine\n' });
    const b = r.diffs.find((d) => d.kind === 'binding' && d.file === 'pkg/__init__.py');
    expect(b).toMatchObject({ name: 'Engine', before: 'def:pkg.impl||Engine|class#0', after: 'cycle:pkg.Engine' });
    expect(classifyDiffs(r.isolated)).toContain('F1');
    // app.py reads Engine through the package: the whole-tree view sees it break too.
    expect(r.diffs.some((d) => d.kind === 'binding' && d.file === 'app.py' && d.after === 'cycle:pkg.Engine')).toBe(true);
  });

  it('a module name rebound to another module is a binding change even when every read still resolves (F2)', () => {
    const r = targets({ ...PKG, 'pkg/__init__.py': 'from .impl import Engine as Engine\nfrom .events import Loop\n' }, {
      'app.py': 'from pkg.impl import Engine\nimport pkg.impl\nimport pkg as events\n\ndef run():\n    return Engine(), pkg.impl.helper(), events.Loop()\n',
    });
    expect(r.isolated).toEqual([expect.objectContaining({ kind: 'binding', name: 'events', before: 'module:pkg.events', after: 'module:pkg' })]);
    expect(classifyDiffs(r.isolated)).toEqual(['F2']);
  });

  it('a read that reaches another object, a name left unbound, a module-level name removed', () => {
    const r = targets(PKG, {
      'app.py': 'from pkg.impl import Engine\nimport pkg.impl\n\ndef run():\n    return Engine(), pkg.impl.helper(), events.Loop()\n',
    });
    expect(r.diffs).toContainEqual(expect.objectContaining({ kind: 'removed', name: 'events' }));
    expect(r.diffs).toContainEqual(expect.objectContaining({ kind: 'use', read: 'def:run|unbound:events.Loop', before: 0, after: 1 }));
    const r2 = targets(PKG, { 'app.py': PKG['app.py'].replace('from pkg.impl import Engine', 'from pkg.events import Loop as Engine') });
    expect(r2.diffs.some((d) => d.kind === 'binding' && d.name === 'Engine' && d.after === 'def:pkg.events||Loop|class#0')).toBe(true);
  });

  it('a module import that went with every use moved is documented; a read it leaves unbound is not', () => {
    const moved = targets(PKG, {
      'app.py': 'from pkg.impl import Engine\nimport pkg.impl\nfrom pkg.events import Loop\n\ndef run():\n    return Engine(), pkg.impl.helper(), Loop()\n',
    });
    expect(moved.isolated).toEqual([expect.objectContaining({ kind: 'removed', name: 'events' })]);
    expect(classifyDiffs(moved.isolated)).toEqual(['documented']);
    const broken = targets(PKG, {
      'app.py': 'from pkg.impl import Engine\nimport pkg.impl\n\ndef run():\n    return Engine(), pkg.impl.helper(), events.Loop()\n',
    });
    const found = classifyDiffs(broken.isolated);
    expect(found).toContain('documented');
    expect(found).toContain('unknown');
  });

  it('a file CPython rejects after the fix is a compile difference; one it rejected before is skipped', () => {
    const r = targets({ ...PKG, 'bad.py': 'print "x"\n' }, { 'app.py': 'from pkg import (\n', 'bad.py': 'print "y"\n' });
    expect(r.diffs).toContainEqual(expect.objectContaining({ kind: 'compile', file: 'app.py' }));
    expect(r.skipped).toEqual(['bad.py']);
  });
});

describe('oracle/probe.py in the harness venv', () => {
  it('imports from the tree, not the stdlib, and reports a module that stops importing or rebinds a name', () => {
    const base = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    const probe = (files: Record<string, string>): Record<string, ProbeRecord> => {
      const root = tree(files);
      const py = makeVenv(base, mkdtempSync(join(tmpdir(), 'canon-venv-')), root);
      dirs.push(dirname(dirname(py)));
      const out = join(root, 'probe.json');
      const r = spawnSync(py, [join(ORACLE, 'probe.py'), root, out], { input: 'json\npkg\npkg.impl\n', encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(spawnSync('cat', [out], { encoding: 'utf8' }).stdout) as Record<string, ProbeRecord>;
    };
    // A `json` of our own shadows the stdlib's.
    const files = { ...PKG, 'json/__init__.py': 'SHADOW = True\n', 'pkg/__init__.py': 'from .impl import Engine as Engine\nSINGLETON = object()\nALIAS = SINGLETON\n' };
    const before = probe(files);
    expect(before.json).toMatchObject({ ok: true, names: { SHADOW: 'const:bool:True' } });
    expect(before.pkg.names.Engine).toBe('def:pkg.impl.Engine');
    expect(before.pkg.names.ALIAS).toBe('value:object=pkg:ALIAS,pkg:SINGLETON');
    const broken = probe({ ...files, 'pkg/__init__.py': 'from . import Engine as Engine\n' });
    expect(broken.pkg.ok).toBe(false);
    expect(broken.pkg.error).toContain('partially initialized module');
    const rebound = probe({ ...files, 'pkg/__init__.py': 'from .impl import Engine as Engine\nSINGLETON = object()\nALIAS = object()\n' });
    const cmp = compareProbes(before, rebound);
    expect(cmp.importFailures).toEqual([]);
    expect(cmp.nameChanges).toEqual([
      { module: 'pkg', name: 'SINGLETON', before: 'value:object=pkg:ALIAS,pkg:SINGLETON', after: 'value:object=pkg:SINGLETON' },
      { module: 'pkg', name: 'ALIAS', before: 'value:object=pkg:ALIAS,pkg:SINGLETON', after: 'value:object=pkg:ALIAS' },
    ]);
    expect(compareProbes(before, broken).importFailures.map((f) => f.module)).toEqual(['pkg', 'pkg.impl']);
  });
});

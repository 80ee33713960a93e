// The rendered shim block: it compiles, keeps to black's 88 columns (the one-row-per-line table
// aside, under `# fmt: off`), black leaves it as it is, and the resolver follows its table.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Move } from '../../src/config/types.js';
import { verifyMoves } from '../../src/core/verify.js';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { Resolver } from '../../src/python/resolve.js';
import { findBlock, readBlock } from '../../src/shim/block.js';
import { renderBlock, type BlockSpec } from '../../src/shim/template.js';
import { black } from '../helpers/externals.js';

const LONG = 'app.services.some_deeply_nested_package.with_a_rather_long_module_name';

const SPECS: Record<string, BlockSpec> = {
  symbols: { rows: [{ name: 'Thing', module: 'newpkg.core', attr: 'Thing' }, { name: 'helper', module: 'newpkg.core', attr: 'helper' }], forward: null, category: 'DeprecationWarning', provideAll: true },
  'own __all__': { rows: [{ name: 'Thing', module: 'newpkg.core', attr: 'Thing' }], forward: null, category: 'FutureWarning', provideAll: false },
  forwarding: { rows: [{ name: 'Thing', module: 'newpkg', attr: 'Thing' }], forward: 'newpkg', category: 'PendingDeprecationWarning', provideAll: true },
  'forwarding, no rows': { rows: [], forward: 'newpkg', category: 'UserWarning', provideAll: false },
  'long names': {
    rows: [{ name: 'AVeryLongClassNameThatKeepsGoing', module: LONG, attr: 'AVeryLongClassNameThatKeepsGoing' }, { name: 'old', module: LONG, attr: 'new' }],
    forward: null, category: 'DeprecationWarning', provideAll: true,
  },
};

describe('renderBlock', () => {
  test('every variant compiles under python3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canon-shim-template-'));
    const files = Object.values(SPECS).map((spec, i) => {
      const f = join(dir, `block${i}.py`);
      writeFileSync(f, renderBlock(spec));
      return f;
    });
    const r = spawnSync('python3', ['-W', 'error', '-m', 'py_compile', ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('every variant is Python 3.7 and annotates only with what 3.7 evaluates (typing.List, not list[str])', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canon-shim-py37-'));
    const files = Object.values(SPECS).map((spec, i) => {
      const f = join(dir, `block${i}.py`);
      writeFileSync(f, renderBlock(spec));
      return f;
    });
    // feature_version rejects syntax newer than 3.7; subscripted builtins and `X | Y` in an
    // annotation are syntax 3.7 parses but fails on when the def runs, so they are looked for.
    const check = [
      'import ast, json, sys',
      'problems = []',
      'for path in sys.argv[1:]:',
      '    tree = ast.parse(open(path).read(), feature_version=(3, 7))',
      '    notes = []',
      '    for node in ast.walk(tree):',
      '        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):',
      '            notes += [a.annotation for a in node.args.args + node.args.kwonlyargs if a.annotation] + ([node.returns] if node.returns else [])',
      '        elif isinstance(node, ast.AnnAssign):',
      '            notes.append(node.annotation)',
      '    for note in notes:',
      '        for n in ast.walk(note):',
      '            if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id in {"list", "dict", "set", "frozenset", "tuple", "type"}:',
      '                problems.append(ast.unparse(note))',
      '            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):',
      '                problems.append(ast.unparse(note))',
      'print(json.dumps(problems))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', check, ...files], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  test('every warning starts with the one prefix a filter can name', () => {
    for (const spec of Object.values(SPECS)) expect(renderBlock(spec)).toContain('            f"canon shim: {__name__}.{name} is deprecated;"\n');
  });

  test('lines keep to 88 columns, except the table rows under `# fmt: off`', () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      let table = false;
      for (const line of renderBlock(spec).split('\n')) {
        if (line === '# fmt: off') table = true;
        if (line === '# fmt: on') table = false;
        if (!table) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(88);
      }
    }
  });

  test('long type-checking imports wrap the way black wraps them', () => {
    expect(renderBlock(SPECS['long names'])).toContain(
      `if _canon_typing.TYPE_CHECKING:\n    from ${LONG} import (\n        AVeryLongClassNameThatKeepsGoing as AVeryLongClassNameThatKeepsGoing,\n        new as old,\n    )\n`,
    );
    expect(renderBlock(SPECS['forwarding, no rows'])).toContain('if _canon_typing.TYPE_CHECKING:\n    from newpkg import *\n\n');
  });

  test('black leaves every variant as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canon-shim-black-'));
    const files = Object.values(SPECS).map((spec, i) => {
      const f = join(dir, `block${i}.py`);
      writeFileSync(f, renderBlock(spec));
      return f;
    });
    const r = spawnSync(black(), ['--check', '--diff', '-q', ...files], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('the table reads back, and the resolver follows it', () => {
    const block = renderBlock(SPECS.symbols);
    const found = findBlock(block);
    expect(found.kind).toBe('found');
    expect(readBlock(block)).toEqual({ rows: SPECS.symbols.rows, forward: null });
    expect(readBlock(renderBlock(SPECS.forwarding)).forward).toBe('newpkg');

    const files: Record<string, string> = {
      'legacy.py': '"""Legacy."""\n' + block,
      'oldpkg/__init__.py': renderBlock(SPECS.forwarding),
      'newpkg/__init__.py': 'from .core import Thing, helper\n',
      'newpkg/core.py': 'class Thing:\n    pass\n\n\ndef helper():\n    pass\n',
    };
    const index = ModuleIndex.fromFiles(Object.keys(files), ['.']);
    const resolver = new Resolver(index, { read: (f) => files[f] ?? null });
    const moves: Move[] = [
      { kind: 'symbol', index: 0, id: 'legacy:Thing', fromModule: 'legacy', fromName: 'Thing', toModule: 'newpkg.core', toName: 'Thing' },
      { kind: 'symbol', index: 1, id: 'legacy:helper', fromModule: 'legacy', fromName: 'helper', toModule: 'newpkg.core', toName: 'helper' },
      { kind: 'module', index: 2, id: 'oldpkg', fromModule: 'oldpkg', toModule: 'newpkg' },
    ];
    expect(verifyMoves(moves, resolver).map((v) => `${v.verdict} ${v.reason ?? ''}`)).toEqual(['same ', 'same ', 'same ']);
  });
});

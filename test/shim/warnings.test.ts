// Shims and warnings-as-errors: with pytest's `filterwarnings = error` (or `-W error`), every use
// of a shim fails the tests. canon shim finds the filter that decides, says the one line that
// exempts every shim's warning (they all start with "canon shim"), and with that line the tests
// pass again: checked with a real pytest.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { shimWarningsAsErrors } from '../../src/shim/warningFilters.js';
import { pytestPython } from '../helpers/externals.js';
import { makeProject, runCli } from '../helpers/project.js';

const MOVE = '[[move]]\nfrom = "legacy:Thing"\nto = "newpkg.core:Thing"\n';
const PROJECT = {
  'newpkg/__init__.py': '',
  'newpkg/core.py': 'class Thing:\n    pass\n',
  'legacy.py': 'from newpkg.core import Thing\n',
  'tests/test_use.py': 'from legacy import Thing\n\n\ndef test_thing():\n    assert Thing\n',
};

function pytest(dir: string, args: string[] = []): { code: number; out: string } {
  const r = spawnSync(pytestPython(), [...args, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONWARNINGS: '' },
  });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

describe('with a real pytest', () => {
  test('pytest.ini `filterwarnings = error`: the note, the failure it warns of, and the line that ends it', () => {
    const dir = makeProject({ ...PROJECT, 'canon.toml': MOVE, 'pytest.ini': '[pytest]\nfilterwarnings =\n    error\n' });
    expect(pytest(dir).code).toBe(0);
    const r = runCli(['shim'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'updated    legacy.py  (Thing)',
        '',
        'note: pytest.ini:3 turns warnings into errors (`error`): every use of a shim would fail the tests.',
        'Add this line to filterwarnings in pytest.ini, after `error` (line 3), to show shim warnings instead:',
        '    default:canon shim:DeprecationWarning',
        '',
        '1 shim written (0 created, 1 updated), 0 unchanged.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    const broken = pytest(dir);
    expect(broken.out).toContain('canon shim: legacy.Thing is deprecated; use "from newpkg.core import Thing"');
    expect(broken.code).not.toBe(0);

    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\nfilterwarnings =\n    error\n    default:canon shim:DeprecationWarning\n');
    const fixed = pytest(dir);
    expect(fixed.out).toMatch(/1 passed, 1 warning/);
    expect(fixed.code).toBe(0);
    // Exempted: no note any more.
    expect(runCli(['shim', '--check'], { cwd: dir }).stdout).toBe('All 1 shim up to date.\n');
  });

  test('pyproject.toml [tool.pytest.ini_options]: the entry to add', () => {
    const pyproject = '[tool.pytest.ini_options]\nfilterwarnings = [\n    "error",\n]\n';
    const dir = makeProject({ ...PROJECT, 'canon.toml': MOVE, 'pyproject.toml': pyproject });
    const r = runCli(['shim', '--format', 'json'], { cwd: dir });
    const w = JSON.parse(r.stdout).warningsAsErrors;
    expect(w).toEqual({
      where: 'pyproject.toml:3',
      filter: 'error',
      add: '"default:canon shim:DeprecationWarning",',
      how: 'Add this entry to filterwarnings in pyproject.toml, after "error" (line 3)',
    });
    expect(pytest(dir).code).not.toBe(0);
    writeFileSync(join(dir, 'pyproject.toml'), pyproject.replace('    "error",\n', `    "error",\n    ${w.add}\n`));
    expect(pytest(dir).code).toBe(0);
  });

  test('`python -W error` in the validation command: the option to add after it', () => {
    const python = pytestPython();
    const dir = makeProject({ ...PROJECT, 'canon.toml': `${MOVE}\n[migrate]\nvalidate = "${python} -W error -m pytest -q"\n` });
    const r = runCli(['shim'], { cwd: dir });
    expect(r.stdout).toContain(
      'note: [migrate] validate turns warnings into errors (`-W error`): every use of a shim would fail the tests.\n' +
        'Add this to [migrate] validate, after `-W error`, to show shim warnings instead:\n' +
        '    -W "default:canon shim:DeprecationWarning"\n',
    );
    expect(pytest(dir, ['-W', 'error']).code).not.toBe(0);
    expect(pytest(dir, ['-W', 'error', '-W', 'default:canon shim:DeprecationWarning']).code).toBe(0);
  });
});

describe('finding the filter that decides', () => {
  const find = (files: Record<string, string>, validate: string | null = null, env: Record<string, string> = {}, category = 'DeprecationWarning'): string | null => {
    const w = shimWarningsAsErrors(makeProject(files), validate, category, env);
    return w === null ? null : `${w.where} | ${w.filter} | ${w.add} | ${w.how}`;
  };

  test('setup.cfg [tool:pytest] and tox.ini [pytest], pytest.ini first', () => {
    expect(find({ 'setup.cfg': '[metadata]\nname = x\n\n[tool:pytest]\nfilterwarnings =\n    # strict\n    error\n' })).toBe(
      'setup.cfg:7 | error | default:canon shim:DeprecationWarning | Add this line to filterwarnings in setup.cfg, after `error` (line 7)',
    );
    expect(find({ 'tox.ini': '[tox]\nenvlist = py3\n\n[pytest]\nfilterwarnings = error\n' })).toBe(
      'tox.ini:5 | error | default:canon shim:DeprecationWarning | Add this line to filterwarnings in tox.ini, after `error` (line 5)',
    );
    // pytest.ini wins, even with no filter of its own: pytest never reads the others then.
    expect(find({ 'pytest.ini': '[pytest]\n', 'tox.ini': '[pytest]\nfilterwarnings = error\n' })).toBeNull();
  });

  test('what decides is the last filter that matches a shim warning', () => {
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings =\n    error\n    ignore::DeprecationWarning\n' })).toBeNull();
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings =\n    error\n    ignore:canon shim\n' })).toBeNull();
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings =\n    default:canon shim:DeprecationWarning\n    error\n' })).toBe(
      'pytest.ini:4 | error | default:canon shim:DeprecationWarning | Add this line to filterwarnings in pytest.ini, after `error` (line 4)',
    );
    // Other categories and messages are not shim warnings.
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings =\n    error::UserWarning\n    error:some other message\n' })).toBeNull();
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings =\n    error::builtins.Warning\n' })).not.toBeNull();
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings = e\n' })).not.toBeNull(); // Python takes any prefix of an action
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings = error::FutureWarning\n' }, null, {}, 'FutureWarning')).not.toBeNull();
  });

  test('-W in addopts and on the command line outrank filterwarnings', () => {
    expect(find({ 'pytest.ini': '[pytest]\naddopts = -ra -W error\nfilterwarnings = default:canon shim\n' })).toBe(
      'pytest.ini:2 | -W error | -W "default:canon shim:DeprecationWarning" | Add this to addopts in pytest.ini:2, after `-W error`',
    );
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings = default:canon shim\n' }, 'pytest -q -Werror::DeprecationWarning tests')).toBe(
      '[migrate] validate | -W error::DeprecationWarning | -W "default:canon shim:DeprecationWarning" | Add this to [migrate] validate, after `-W error::DeprecationWarning`',
    );
    // python's own -W, under pytest's filterwarnings: the ini exemption wins.
    expect(find({ 'pytest.ini': '[pytest]\nfilterwarnings = default:canon shim\n' }, 'python3 -W error -m pytest')).toBeNull();
    expect(find({}, 'cd src && python3 -X dev -W error -m unittest discover')).toBe(
      '[migrate] validate | -W error | -W "default:canon shim:DeprecationWarning" | Add this to [migrate] validate, after `-W error`',
    );
  });

  test('PYTHONWARNINGS, in the command or in the environment', () => {
    expect(find({}, 'PYTHONWARNINGS=error python3 -m pytest')).toBe(
      'PYTHONWARNINGS in [migrate] validate | error | ,default:canon shim:DeprecationWarning | Append this to PYTHONWARNINGS in [migrate] validate',
    );
    expect(find({}, null, { PYTHONWARNINGS: 'error' })).toBe(
      'PYTHONWARNINGS in the environment | error | ,default:canon shim:DeprecationWarning | Append this to PYTHONWARNINGS in the environment',
    );
    expect(find({}, null, { PYTHONWARNINGS: 'error,default:canon shim:DeprecationWarning' })).toBeNull();
    expect(find({}, null, {})).toBeNull();
  });
});

import { describe, expect, test } from 'vitest';
import { proposeLayout } from '../../src/init/layout.js';

const areas = (files: string[]) => proposeLayout(files).areas.map((a) => `${a.name} ${a.paths.join(',')} ${a.priority}`);

describe('proposeLayout', () => {
  test('one application package: an area per subpackage, then the package, then tests', () => {
    const files = [
      'app/__init__.py', 'app/main.py',
      'app/routes/__init__.py', 'app/routes/ws.py',
      'app/services/corpus/ops.py', 'app/services/__init__.py',
      'tests/__init__.py', 'tests/unit/test_a.py', 'tests/integration/test_b.py',
      'setup.py',
    ];
    const p = proposeLayout(files);
    expect(p.src).toEqual(['.']);
    expect(p.exclude).toEqual([]);
    expect(p.samplePackage).toBe('app');
    expect(areas(files)).toEqual([
      'routes app/routes/** high',
      'services app/services/** high',
      'app app/** high',
      'tests-integration tests/integration/** medium',
      'tests-unit tests/unit/** medium',
      'tests tests/** medium',
    ]);
  });

  test('src layout: the src folder is the import root; "." only when the top level has packages', () => {
    const files = ['src/mypkg/__init__.py', 'src/mypkg/core.py', 'tests/test_core.py', 'setup.py', 'noxfile.py'];
    expect(proposeLayout(files).src).toEqual(['src']);
    expect(areas(files)).toEqual(['mypkg src/mypkg/** high', 'tests tests/** medium']);
    expect(proposeLayout([...files, 'tests/__init__.py']).src).toEqual(['src', '.']);
    expect(proposeLayout([...files, 'manage.py']).src).toEqual(['src', '.']);
  });

  test('several packages: areas are prefixed with the package', () => {
    const files = ['alpha/__init__.py', 'alpha/a/x.py', 'alpha/b/y.py', 'beta/__init__.py', 'beta/z.py'];
    expect(areas(files)).toEqual(['alpha.a alpha/a/** high', 'alpha.b alpha/b/** high', 'alpha alpha/** high', 'beta beta/** high']);
  });

  test('in-package tests stay before their package\'s catch-all, with the tests priority', () => {
    const files = ['lib/__init__.py', 'lib/core/__init__.py', 'lib/tests/test_core.py'];
    expect(areas(files)).toEqual(['core lib/core/** high', 'tests lib/tests/** medium', 'lib lib/** high']);
  });

  test('scripts and tooling are low; container folders hold packages; build output is excluded', () => {
    const files = [
      'apps/users/__init__.py', 'apps/users/models.py', 'apps/billing/__init__.py',
      'scripts/release.py', 'docs/conf.py', 'misc/one_off.py',
      'build/lib/apps/users/models.py', 'mypkg.egg-info/x.py',
    ];
    const p = proposeLayout(files);
    expect(p.exclude).toEqual(['build/**', 'mypkg.egg-info/**']);
    expect(p.areas.map((a) => `${a.name} ${a.paths.join(',')} ${a.priority}`)).toEqual([
      'billing apps/billing/** high',
      'users apps/users/** high',
      'docs docs/** low',
      'misc misc/** low',
      'scripts scripts/** low',
    ]);
  });

  test('monorepo: every src folder is an import root', () => {
    const files = ['packages/a/src/a/__init__.py', 'packages/b/src/b/__init__.py', 'packages/b/src/b/m.py'];
    const p = proposeLayout(files);
    expect(p.src).toEqual(['packages/a/src', 'packages/b/src']);
    expect(p.areas.map((a) => a.paths[0])).toEqual(['packages/a/src/a/**', 'packages/b/src/b/**']);
  });

  test('names stay unique and never "other"', () => {
    const files = ['other/__init__.py', 'other/x.py', 'tests/test_a.py', 'test/test_b.py', 'x/__init__.py', 'x/tests/t.py', 'x/y/z.py'];
    const names = proposeLayout(files).areas.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('other');
  });

  test('an empty project proposes the root and nothing else', () => {
    expect(proposeLayout([])).toEqual({ src: ['.'], exclude: [], areas: [], samplePackage: null });
  });
});

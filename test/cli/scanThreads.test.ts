// A scan shared between threads (the built binary: worker threads need the bundle) finds exactly
// what one thread finds, on a project large enough to be shared (2,000 files and up): the main
// thread reads and prefilters, the worker lexes what it queues and claims files of its own.

import { beforeAll, expect, test } from 'vitest';
import { makeProject, runCli } from '../helpers/project.js';

const FILES = 2600;
let dir: string;
const expected = { legacy: 0, unresolved: 0, strings: 0 };

beforeAll(() => {
  const files: Record<string, string> = {
    'canon.toml': '[[move]]\nfrom = "app.legacy:Widget"\nto = "app.canonical:Widget"\n',
    'app/__init__.py': '',
    'app/canonical.py': 'class Widget:\n    pass\n',
    'app/legacy.py': 'from app.canonical import Widget\n',
  };
  for (let i = 0; i < FILES; i++) {
    const lines = ['"""A module."""', 'import os', 'from app.canonical import Widget', ''];
    if (i % 37 === 0) {
      lines.push('from app.legacy import Widget as W  # planted');
      expected.legacy++;
    }
    if (i % 53 === 0) {
      lines.push('def f():', '    import app.gone', '    return app.gone');
      expected.unresolved++;
    }
    if (i % 91 === 0) {
      lines.push('import app.legacy', 'x = app.legacy.Widget()');
      expected.legacy++;
    }
    if (i % 71 === 0) {
      lines.push('TARGET = "app.legacy.Widget"');
      expected.strings++;
    }
    // Decoys: the words in comments and strings, never imports.
    if (i % 29 === 0) lines.push('# from app.legacy import Widget', 's = "import app.gone"');
    lines.push('def g(n):', '    return [os.path.join(str(k), "x") for k in range(n)]', '');
    files[`app/m${i % 13}/mod_${i}.py`] = lines.join('\n');
  }
  dir = makeProject(files);
});

test('one thread, two threads and the default find the same, exactly', () => {
  // No --jobs: the default, by amount of work.
  const runs = [['--jobs', '1'], ['--jobs', '2'], []].map((jobs) => runCli(['scan', '--no-cache', '--format', 'json', ...jobs], { cwd: dir, timeout: 60_000 }));
  for (const r of runs) {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  }
  const [one, two, auto] = runs.map((r) => JSON.parse(r.stdout));
  expect(one.summary.filesScanned).toBe(FILES + 3);
  expect(one.summary.byKind).toEqual({ 'legacy-import': expected.legacy, unresolved: expected.unresolved, 'string-reference': expected.strings });
  expect(two.findings).toEqual(one.findings);
  expect(auto.findings).toEqual(one.findings);
  expect(two.summary).toEqual(one.summary);
});

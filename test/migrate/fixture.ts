// A small Python project for migrate's tests: one symbol move `pkg.old:thing` -> `pkg.new:thing`,
// three areas, and a unittest suite in which rewriting `pkg/svc/e.py` breaks one test (the test
// patches the legacy path, as in the example project). Built as a git repository.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventSink, MigrateEvent } from '../../src/migrate/types.js';
import { git, makeProject } from '../helpers/project.js';
import { textFixer } from './textFixer.js';

export const UNITTEST = 'python3 -m unittest discover -s tests -t .';

const consumer = (n: number): string => `from pkg.old import thing\n\n\ndef value():\n    return thing() + ${n}\n`;

export const FILES: Record<string, string> = {
  'canon.toml': `src = ["."]

[[move]]
from = "pkg.old:thing"
to = "pkg.new:thing"

[[area]]
name = "core"
paths = ["pkg/core/**"]
priority = "critical"

[[area]]
name = "svc"
paths = ["pkg/svc/**"]
priority = "high"

[migrate]
validate = "${UNITTEST}"
batch-size = 3
`,
  'pkg/__init__.py': '',
  'pkg/new.py': 'def thing():\n    return 42\n',
  'pkg/old.py': '"""Legacy path, re-exports the canonical object."""\nfrom pkg.new import thing\n\n__all__ = ["thing"]\n',
  'pkg/core/__init__.py': '',
  'pkg/core/a.py': consumer(1),
  'pkg/core/b.py': consumer(2),
  'pkg/svc/__init__.py': '',
  'pkg/svc/c.py': consumer(3),
  'pkg/svc/d.py': consumer(4),
  // Looks `thing` up in the legacy module at call time: the test's patch of pkg.old.thing reaches it
  // only while it says pkg.old.
  'pkg/svc/e.py': 'import pkg.old as legacy\n\n\ndef value():\n    return legacy.thing() * 2\n',
  'pkg/svc/f.py': consumer(6),
  'tests/__init__.py': '',
  'tests/test_values.py': `import unittest
from unittest import mock

from pkg.core import a, b
from pkg.svc import c, d, e, f


class Values(unittest.TestCase):
    def test_core(self):
        self.assertEqual((a.value(), b.value()), (43, 44))

    def test_svc(self):
        self.assertEqual((c.value(), d.value(), f.value()), (45, 46, 48))

    def test_e_goes_through_the_patched_legacy_path(self):
        with mock.patch("pkg.old.thing", return_value=1):
            self.assertEqual(e.value(), 2)


if __name__ == "__main__":
    unittest.main()
`,
  // Runs the suite and writes JUnit XML to argv[1] (unittest has no JUnit output of its own).
  'tools/junit_tests.py': `import sys
import unittest
from xml.sax.saxutils import quoteattr


class Result(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed.append(test)


suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
result = unittest.TextTestRunner(resultclass=Result).run(suite)
cases = [(t, None) for t in result.passed]
cases += [(t, "failure") for t, _ in result.failures] + [(t, "error") for t, _ in result.errors]
with open(sys.argv[1], "w") as out:
    out.write("<testsuites><testsuite>\\n")
    for test, kind in cases:
        cls, _, name = test.id().rpartition(".")
        head = f"<testcase classname={quoteattr(cls)} name={quoteattr(name)}"
        out.write(head + ("/>\\n" if kind is None else f"><{kind} message=\\"x\\"/></testcase>\\n"))
    out.write("</testsuite></testsuites>\\n")
sys.exit(0 if result.wasSuccessful() else 1)
`,
};

export const CONSUMERS = ['pkg/core/a.py', 'pkg/core/b.py', 'pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py', 'pkg/svc/f.py'];

/** The fixture as a fresh git repository, with `extra` files added to (or replacing) it. */
export function fixtureRepo(extra: Record<string, string> = {}): string {
  return makeProject({ ...FILES, ...extra }, { git: true });
}

export const REPLACEMENTS = [{ from: 'pkg.old', to: 'pkg.new', move: 'pkg.old:thing' }];

export function fixer(root: string, opts: { failOn?: string[] } = {}): ReturnType<typeof textFixer> {
  return textFixer(root, REPLACEMENTS, opts);
}

export function collect(): EventSink & { events: MigrateEvent[]; of: <T extends MigrateEvent['type']>(t: T) => Extract<MigrateEvent, { type: T }>[] } {
  const events: MigrateEvent[] = [];
  return {
    events,
    emit: (e) => void events.push(e),
    close: () => {},
    of: <T extends MigrateEvent['type']>(t: T) => events.filter((e): e is Extract<MigrateEvent, { type: T }> => e.type === t),
  };
}

export const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

/** Subjects of the commits after the initial one, oldest first. */
export function subjects(root: string): string[] {
  return git(root, 'log', '--reverse', '--format=%s').trim().split('\n').slice(1);
}

/** Is `pid` running? A zombie (killed, not yet reaped by a container's init) is not. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}

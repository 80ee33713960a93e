// Input/expected pairs for `canon fix`, one folder per case under fixtures/:
//   input.py      the file as it is (bytes; CRLF, BOM, latin-1 kept)
//   expected.py   the file after the fix (absent: the file must not change)
//   case.json     optional: { file, moves, files, replaceTree, options, refused, error, notes, imports }
// Every case runs planFix on a temporary project (the base tree below plus the case's files), checks
// the rewritten bytes, the refusals, errors and notes, then writes the plan and checks that a
// second run changes nothing, that the scan finds no fixable finding left in the file, and that
// python3 imports the listed modules.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { FixOptions } from '../../src/fix/api.js';
import { allRefusals, planFix } from '../../src/fix/plan.js';
import { writeFixPlan } from '../../src/fix/write.js';
import { runScan } from '../../src/scan/runScan.js';
import { makeProject } from '../helpers/project.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The project every case starts from: `app.old` re-exports names now defined in `app.new`. */
export const BASE_TREE: Record<string, string> = {
  'app/__init__.py': '',
  'app/new.py': 'X = 1\nY = 2\nZ = 3\n\n\nclass New:\n    pass\n\n\ndef func():\n    return 1\n',
  'app/old.py': 'from app.new import X, Y, Z, func\nfrom app.new import New as Old\n\nW = 4\nV = 5\n',
  'app/other.py': 'def helper():\n    return 2\n',
  'app/oldhelpers.py': 'from app.other import helper\n',
  'app/modern_pkg/__init__.py': 'def tool():\n    return 3\n',
  'app/modern_pkg/sub.py': 'def f():\n    return 4\n',
  'app/legacy_pkg/__init__.py': 'from app.modern_pkg import *\n',
  'app/legacy_pkg/sub.py': 'from app.modern_pkg.sub import *\n',
  'app/pkg/__init__.py': '',
  'app/pkg/sibling.py': 'S = 1\n',
};

export const BASE_MOVES: [string, string][] = [
  ['app.old:X', 'app.new:X'],
  ['app.old:Y', 'app.new:Y'],
  ['app.old:Z', 'app.new:Z'],
  ['app.old:Old', 'app.new:New'],
  ['app.old:func', 'app.new:func'],
  ['app.oldhelpers:helper', 'app.other:helper'],
  ['app.legacy_pkg', 'app.modern_pkg'],
];

interface Case {
  file?: string;
  moves?: [string, string][];
  files?: Record<string, string>;
  replaceTree?: boolean;
  options?: FixOptions;
  /** Substrings of the expected refusal reasons in the file, one per refusal. */
  refused?: string[];
  /** Substring of the expected error for the file (it is then left as it was). */
  error?: string;
  notes?: string[];
  /** Substrings of the --allow-divergent warnings. */
  overridden?: string[];
  /** Modules python3 must import after the fix is written (the project root first on sys.path). */
  imports?: string[];
}

function toml(moves: [string, string][]): string {
  return 'src = ["."]\n' + moves.map(([f, t]) => `\n[[move]]\nfrom = "${f}"\nto = "${t}"\n`).join('');
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function configOf(root: string): Config {
  const loaded = loadConfig(join(root, 'canon.toml'));
  if ('problems' in loaded) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

const cases = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'input.py'))).sort();

describe('canon fix fixtures', () => {
  test('there are at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  for (const name of cases) {
    test(name, async () => {
      const dir = join(FIXTURES, name);
      const spec: Case = existsSync(join(dir, 'case.json')) ? JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) : {};
      const input = readFileSync(join(dir, 'input.py'));
      const expected = existsSync(join(dir, 'expected.py')) ? readFileSync(join(dir, 'expected.py')) : input;
      const file = spec.file ?? 'app/consumer.py';
      const root = makeProject({
        ...(spec.replaceTree ? {} : BASE_TREE),
        ...(spec.files ?? {}),
        [file]: input,
        'canon.toml': toml(spec.moves ?? BASE_MOVES),
      });
      roots.push(root);
      const config = configOf(root);
      const options: FixOptions = { cwd: root, ...spec.options };
      const plan = await planFix(config, options);

      const changed = plan.files.find((f) => f.file === file);
      const after = changed ? changed.after : input;
      expect(after.toString('latin1')).toBe(expected.toString('latin1'));

      const refused = allRefusals(plan).filter((r) => r.finding.file === file).map((r) => r.reason);
      expect(refused.length, `refusals: ${refused.join(' | ')}`).toBe((spec.refused ?? []).length);
      for (const want of spec.refused ?? []) expect(refused.some((r) => r.includes(want)), `no refusal mentions "${want}": ${refused.join(' | ')}`).toBe(true);

      const errors = plan.errors.filter((e) => e.file === file).map((e) => e.message);
      if (spec.error) {
        expect(errors.some((e) => e.includes(spec.error!)), `errors: ${errors.join(' | ')}`).toBe(true);
        expect(changed).toBeUndefined();
      } else expect(errors).toEqual([]);

      const notes = (plan.details?.notes ?? []).filter((n) => n.file === file).map((n) => n.message);
      for (const want of spec.notes ?? []) expect(notes.some((n) => n.includes(want)), `no note mentions "${want}": ${notes.join(' | ')}`).toBe(true);
      const overridden = (plan.details?.overridden ?? []).map((o) => `${o.move}: ${o.reason}`);
      for (const want of spec.overridden ?? []) expect(overridden.some((o) => o.includes(want))).toBe(true);

      // Written, the plan is idempotent, and the scan agrees nothing fixable is left.
      await writeFixPlan(root, plan);
      expect(readFileSync(join(root, file)).equals(expected)).toBe(true);
      if (spec.imports) {
        const py = spawnSync('python3', ['-c', spec.imports.map((m) => `import ${m}`).join('; ')], { cwd: root, encoding: 'utf8' });
        expect(py.status, py.stderr).toBe(0);
      }
      const again = await planFix(config, options);
      expect(again.files.map((f) => f.file)).toEqual([]);
      if (!spec.error && !spec.options?.allowDivergent) {
        const scan = await runScan(config, {});
        const left = scan.findings.filter((f) => f.file === file && f.fixable && !f.suppressed && (f.kind !== 'string-reference' || spec.options?.strings));
        expect(left.length, left.map((f) => `${f.line}:${f.column} ${f.legacy}`).join(', ')).toBeLessThanOrEqual(refused.length);
      }
    });
  }
});

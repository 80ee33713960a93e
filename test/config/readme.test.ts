// The README's sample config error is what canon prints for test/config/fixtures/readme/canon.toml.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO, runCli } from '../helpers/project.js';

test("the README's sample config error is canon's own output", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const sample = /```\n(error: invalid configuration[^`]*)```/.exec(readme)?.[1];
  expect(sample).toBeDefined();
  const r = runCli(['verify'], { cwd: join(REPO, 'test/config/fixtures/readme') });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(sample);
});

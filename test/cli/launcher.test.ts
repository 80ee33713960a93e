// canon run as a program goes through its sh launcher (the first two lines of dist/bin/canon.js):
// node starts without NODE_EXTRA_CA_CERTS, which Node 20 would read before running any script, and
// the processes canon starts get the variable back as the user set it.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { restoreLaunchEnv, SET_ASIDE } from '../../src/core/launcher.js';
import { VERSION } from '../../src/version.js';
import { CLI } from '../helpers/project.js';
import { fixtureRepo } from '../migrate/fixture.js';

// Node warns at start-up when the file cannot be read: proof that it tried.
const MISSING = '/nonexistent/canon-test-ca.pem';

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): { stdout: string; stderr: string; code: number | null } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const n of names) delete env[n];
  return env;
}

describe('the launcher', () => {
  test('node itself reads NODE_EXTRA_CA_CERTS at start-up; canon run as a program does not', () => {
    const env = { ...envWithout(SET_ASIDE), NODE_EXTRA_CA_CERTS: MISSING };
    const direct = run(process.execPath, [CLI, '--version'], env);
    expect(direct.stderr).toContain(`Ignoring extra certs from \`${MISSING}\``);
    const launched = run(CLI, ['--version'], env);
    expect(launched).toEqual({ stdout: `${VERSION}\n`, stderr: '', code: 0 });
  });

  test('arguments reach canon unchanged, spaces and quotes included', () => {
    const r = run(CLI, ['scan', '--config', "/no such/dir/it's.toml"], envWithout('NODE_EXTRA_CA_CERTS'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/no such/dir/it's.toml");
  });

  test.each([
    ['set', MISSING, `${MISSING}|unset`],
    ['set and empty', '', '|unset'],
    ['unset', undefined, 'unset|unset'],
  ])('the validation command sees NODE_EXTRA_CA_CERTS as the user had it: %s', (_, value, seen) => {
    const root = fixtureRepo();
    const out = join(root, '..', `${root.split('/').pop()}-env.txt`);
    const env = envWithout('NODE_EXTRA_CA_CERTS', SET_ASIDE);
    if (value !== undefined) env.NODE_EXTRA_CA_CERTS = value;
    const validate = `printf '%s|%s' "\${NODE_EXTRA_CA_CERTS-unset}" "\${${SET_ASIDE}-unset}" > '${out}'; exit 3`;
    const r = run(CLI, ['migrate', '--validate', validate], env, root);
    expect(r.stderr).not.toContain('extra certs');
    expect(readFileSync(out, 'utf8')).toBe(seen);
  });
});

describe('restoreLaunchEnv', () => {
  test('moves the set-aside value back, empty values included; leaves an environment without one alone', () => {
    const a: NodeJS.ProcessEnv = { [SET_ASIDE]: '/etc/ca.pem', PATH: '/bin' };
    restoreLaunchEnv(a);
    expect(a).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/ca.pem', PATH: '/bin' });
    const b: NodeJS.ProcessEnv = { [SET_ASIDE]: '' };
    restoreLaunchEnv(b);
    expect(b).toEqual({ NODE_EXTRA_CA_CERTS: '' });
    const c: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/x.pem' };
    restoreLaunchEnv(c);
    expect(c).toEqual({ NODE_EXTRA_CA_CERTS: '/x.pem' });
  });
});

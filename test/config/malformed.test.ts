// Malformed configurations, one per case, through the built binary: each must exit 2 with the
// exact `file:line:col: key.path: message` line, and print nothing on stdout. The cases are the
// kinds of mistake users make (types, paths, globs, moves) and the holes found by trying them.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeProject, runCliAsync } from '../helpers/project.js';

interface Case {
  name: string;
  /** canon.toml's text (or bytes), or a whole tree with `pyproject.toml`. */
  config: string | Buffer;
  /** The problem lines, exactly; `ROOT` stands for the project root. */
  problems: string[];
  /** Extra files (path -> text) and symbolic links (path -> `-> target`, `ROOT` replaced). */
  files?: Record<string, string>;
  file?: 'canon.toml' | 'pyproject.toml';
}

const CASES: Case[] = [
  // TOML itself
  { name: 'an unclosed string', config: 'src = ["app\n', problems: ['canon.toml:1:12: invalid TOML: control characters are not allowed in strings'] },
  { name: 'an unclosed array', config: 'src = ["app"\n', problems: ['canon.toml:2:1: invalid TOML: expected comma or end of structure'] },
  { name: 'a key defined twice', config: 'src = ["."]\nsrc = ["app"]\n', problems: ['canon.toml:2:1: invalid TOML: trying to redefine an already defined table or value'] },
  { name: 'an invalid escape', config: 'exclude = ["a\\qb"]\n', problems: ['canon.toml:1:15: invalid TOML: unrecognised escape sequence'] },
  { name: 'a byte that is not UTF-8, in a comment', config: Buffer.from('src = ["."]\n# caf\xc3\xa9 \xff\n', 'latin1'), problems: ['canon.toml:2:8: invalid UTF-8 (byte 0xff); a TOML file must be UTF-8: save it with that encoding'] },
  { name: 'a Latin-1 é in a string', config: Buffer.from('[[move]]\nfrom = "app.caf\xe9:X"\n', 'latin1'), problems: ['canon.toml:2:16: invalid UTF-8 (byte 0xe9); a TOML file must be UTF-8: save it with that encoding'] },
  { name: 'a UTF-16 file', config: Buffer.from('\ufeffsrc = ["."]\n', 'utf16le'), problems: ['canon.toml:1:1: the file is UTF-16; a TOML file must be UTF-8: save it with that encoding'] },
  { name: 'a stray continuation byte first', config: Buffer.from([0x80, 0x0a]), problems: ['canon.toml:1:1: invalid UTF-8 (byte 0x80); a TOML file must be UTF-8: save it with that encoding'] },

  // Top-level settings
  { name: 'a mistyped top-level key', config: 'exlude = ["build/**"]\n', problems: ['canon.toml:1:1: exlude: unknown key; did you mean `exclude`?'] },
  { name: 'src as a string', config: 'src = "app"\n', problems: ['canon.toml:1:7: src: expected an array of strings, got a string ("app")'] },
  { name: 'src empty', config: 'src = []\n', problems: ['canon.toml:1:7: src: must list at least one import root (use ["."] for the project root)'] },
  { name: 'src outside the root', config: 'src = ["../lib"]\n', problems: ['canon.toml:1:8: src[0]: "../lib" is outside the project root'] },
  { name: 'src absolute', config: 'src = ["/usr/lib"]\n', problems: ['canon.toml:1:8: src[0]: must be relative to the project root, got "/usr/lib"'] },
  { name: 'src naming a file', config: 'src = [".", "setup.py"]\n', files: { 'setup.py': '' }, problems: ['canon.toml:1:13: src[1]: "setup.py" is a file; an import root is a folder'] },
  { name: 'a NUL in src', config: 'src = ["lib\\u0000"]\n', problems: ['canon.toml:1:8: src[0]: must not contain a NUL character'] },
  { name: 'src with a number', config: 'src = [".", 3]\n', problems: ['canon.toml:1:13: src[1]: expected a string, got an integer (3)'] },
  { name: 'include empty', config: 'include = []\n', problems: ['canon.toml:1:11: include: must list at least one glob'] },
  { name: 'exclude as a table', config: 'exclude = { a = 1 }\n', problems: ['canon.toml:1:11: exclude: expected an array of strings, got a table'] },

  // Globs: include, exclude and area paths
  { name: 'an include glob up and out', config: 'include = ["../other/**/*.py"]\n', problems: ['canon.toml:1:12: include[0]: "../other/**/*.py" reaches outside the project root (".."); globs match files inside it'] },
  { name: 'an exclude glob with ".." in the middle', config: 'exclude = ["app/../../x/**"]\n', problems: ['canon.toml:1:12: exclude[0]: "app/../../x/**" reaches outside the project root (".."); globs match files inside it'] },
  { name: '".." inside braces', config: 'exclude = ["{build,..}/**"]\n', problems: ['canon.toml:1:12: exclude[0]: "{build,..}/**" reaches outside the project root (".."); globs match files inside it'] },
  { name: 'an absolute glob elsewhere', config: 'include = ["/opt/code/**/*.py"]\n', problems: ['canon.toml:1:12: include[0]: must be relative to the project root, got "/opt/code/**/*.py"'] },
  { name: 'an absolute glob inside the root', config: "exclude = ['ROOT/build/**']\n", problems: ['canon.toml:1:12: exclude[0]: must be relative to the project root, where every glob is anchored: write "build/**"'] },
  { name: 'a glob anchored with "/" as in .gitignore', config: 'exclude = ["/build"]\n', problems: ['canon.toml:1:12: exclude[0]: must be relative to the project root, got "/build"'] },
  { name: 'a Windows drive', config: "include = ['C:/code/**']\n", problems: ['canon.toml:1:12: include[0]: must be relative to the project root, got "C:/code/**"'] },
  { name: 'an unclosed "["', config: 'exclude = ["["]\n', problems: ['canon.toml:1:12: exclude[0]: unclosed "[" at column 1; write "\\\\[" for a literal bracket'] },
  { name: 'an unclosed "[" after a folder', config: 'include = ["app/[ab/*.py"]\n', problems: ['canon.toml:1:12: include[0]: unclosed "[" at column 5; write "\\\\[" for a literal bracket'] },
  { name: 'an unclosed "{"', config: 'exclude = ["{build,dist/**"]\n', problems: ['canon.toml:1:12: exclude[0]: unclosed "{" at column 1; close it with "}"'] },
  { name: 'an unclosed extglob', config: 'exclude = ["@(build|dist/**"]\n', problems: ['canon.toml:1:12: exclude[0]: unclosed "(" at column 2; close it with ")"'] },
  { name: 'a trailing backslash', config: "exclude = ['build\\']\n", problems: ['canon.toml:1:12: exclude[0]: ends with a lone "\\" (an escape of nothing); write "/" between folders'] },
  { name: 'a negated glob', config: 'exclude = ["!app/keep.py"]\n', problems: ['canon.toml:1:12: exclude[0]: a leading "!" (negation) is not supported: select files with `include` and leave them out with `exclude`'] },
  { name: 'a "." segment', config: 'include = ["app/./**/*.py"]\n', problems: ['canon.toml:1:12: include[0]: "." in the middle of a glob never matches: write "app/**/*.py"'] },
  { name: 'an empty glob', config: 'exclude = ["build/**", " "]\n', problems: ['canon.toml:1:24: exclude[1]: must not be empty'] },
  { name: 'a NUL in a glob', config: 'exclude = ["build\\u0000/**"]\n', problems: ['canon.toml:1:12: exclude[0]: must not contain a NUL character'] },
  { name: 'an area path up and out', config: '[[area]]\nname = "api"\npaths = ["app/**", "../api/**"]\n', problems: ['canon.toml:3:20: area[0].paths[1]: "../api/**" reaches outside the project root (".."); globs match files inside it'] },
  { name: 'an area path with "["', config: '[[area]]\nname = "api"\npaths = ["app/api[/**"]\n', problems: ['canon.toml:3:10: area[0].paths[0]: unclosed "[" at column 8; write "\\\\[" for a literal bracket'] },

  // Moves
  { name: '[move] instead of [[move]]', config: '[move]\nfrom = "a:X"\nto = "b:X"\n', problems: ['canon.toml:1:1: move: expected an array of tables, got a table; write [[move]] (double brackets) for each entry'] },
  { name: 'a move without `to`', config: '[[move]]\nfrom = "a:X"\n', problems: ['canon.toml:1:1: move[0]: missing required key `to`'] },
  { name: 'a move `from` that is a number', config: '[[move]]\nfrom = 3\nto = "b:X"\n', problems: ['canon.toml:2:8: move[0].from: expected "module:Name" or a dotted module path, got an integer (3)'] },
  { name: 'an empty path segment', config: '[[move]]\nfrom = "app..x:Y"\nto = "app.x:Y"\n', problems: ['canon.toml:2:8: move[0].from: expected "module:Name" or a dotted module path, got "app..x:Y"'] },
  { name: 'a keyword in a path', config: '[[move]]\nfrom = "app.old:X"\nto = "app.import:X"\n', problems: ['canon.toml:3:6: move[0].to: expected "module:Name" or a dotted module path, got "app.import:X" (`import` is a Python keyword)'] },
  { name: 'a path with a slash', config: '[[move]]\nfrom = "app/old.py:X"\nto = "app.new:X"\n', problems: ['canon.toml:2:8: move[0].from: expected "module:Name" or a dotted module path, got "app/old.py:X"'] },
  { name: 'a symbol moved to a module', config: '[[move]]\nfrom = "app.old:X"\nto = "app.new"\n', problems: ['canon.toml:3:6: move[0].to: `from` names a symbol ("module:Name") but `to` names a module; both must be the same form'] },
  { name: 'a move to itself', config: '[[move]]\nfrom = "app.old:X"\nto = "app.old:X"\n', problems: ['canon.toml:3:6: move[0].to: same as `from`; a move must change the module or the name'] },
  { name: 'one path moved twice', config: '[[move]]\nfrom = "a:X"\nto = "b:X"\n[[move]]\nfrom = "a:X"\nto = "c:X"\n', problems: ['canon.toml:5:8: move[1].from: "a:X" is already moved by move[0]'] },
  { name: 'a mistyped key in a move', config: '[[move]]\nfrom = "a:X"\nto = "b:X"\nform = "c:X"\n', problems: ['canon.toml:4:1: move[0].form: unknown key; did you mean `from`?'] },
  {
    name: 'a cycle of two moves',
    config: '[[move]]\nfrom = "app.a:X"\nto = "app.b:X"\n[[move]]\nfrom = "app.b:X"\nto = "app.a:X"\n',
    problems: ['canon.toml:3:6: move[0].to: move[0] and move[1] move these paths into each other (app.a:X -> app.b:X -> app.a:X); keep one of them'],
  },
  {
    name: 'a cycle of three moves, one of them a module move',
    config: '[[move]]\nfrom = "app.a:X"\nto = "app.b:X"\n[[move]]\nfrom = "app.b"\nto = "app.c"\n[[move]]\nfrom = "app.c:X"\nto = "app.a:X"\n',
    problems: ['canon.toml:3:6: move[0].to: move[0] and move[1] and move[2] move these paths into each other (app.a:X -> app.b -> app.c:X -> app.a:X); keep one of them'],
  },
  {
    name: 'a chain (not composed: the config says where each path ends)',
    config: '[[move]]\nfrom = "app.a:X"\nto = "app.b:X"\n[[move]]\nfrom = "app.b:X"\nto = "app.c:Y"\n',
    problems: ['canon.toml:3:6: move[0].to: "app.b:X" is itself moved, by move[1]; moves are not chained: write to = "app.c:Y"'],
  },
  {
    name: 'a symbol moved into a moved module',
    config: '[[move]]\nfrom = "app.a:X"\nto = "app.legacy.util:X"\n[[move]]\nfrom = "app.legacy"\nto = "app.core"\n',
    problems: ['canon.toml:3:6: move[0].to: "app.legacy.util:X" is itself moved, by move[1]; moves are not chained: write to = "app.core.util:X"'],
  },
  {
    name: 'a module moved into its own subtree',
    config: '[[move]]\nfrom = "app"\nto = "app.sub"\n',
    problems: ['canon.toml:3:6: move[0].to: "app.sub" is inside "app", which this move moves: a module cannot move into its own subtree'],
  },

  // Areas
  { name: 'an area without paths', config: '[[area]]\nname = "api"\n', problems: ['canon.toml:1:1: area[0]: missing required key `paths`'] },
  { name: 'an area named "other"', config: '[[area]]\nname = "other"\npaths = ["x/**"]\n', problems: ['canon.toml:2:8: area[0].name: "other" is reserved for files outside every area'] },
  { name: 'an unknown priority', config: '[[area]]\nname = "api"\npaths = ["app/**"]\npriority = "urgent"\n', problems: ['canon.toml:4:12: area[0].priority: unknown priority "urgent"; expected one of: critical, high, medium, low'] },
  {
    name: 'a top-level key below an [[area]] header',
    config: '[[area]]\nname = "api"\npaths = ["app/**"]\nexclude = ["x/**"]\n',
    problems: ['canon.toml:4:1: area[0].exclude: unknown key; `exclude` is a top-level setting, but every key below a [[area]] header belongs to that table: move it above the first table header'],
  },

  // [migrate]
  { name: '[migrate] as a value', config: 'migrate = "pytest"\n', problems: ['canon.toml:1:11: migrate: expected a table ([migrate]), got a string ("pytest")'] },
  { name: 'batch-size 0', config: '[migrate]\nbatch-size = 0\n', problems: ['canon.toml:2:14: migrate.batch-size: expected an integer >= 1, got 0'] },
  { name: 'batch-size beyond what an integer holds', config: '[migrate]\nbatch-size = 99999999999999999999\n', problems: ['canon.toml:2:14: invalid TOML: integer value cannot be represented losslessly'] },
  { name: 'batch-size as a string', config: '[migrate]\nbatch-size = "5"\n', problems: ['canon.toml:2:14: migrate.batch-size: expected an integer >= 1, got a string ("5")'] },
  { name: 'batch_size with an underscore', config: '[migrate]\nbatch_size = 5\n', problems: ['canon.toml:2:1: migrate.batch_size: unknown key; did you mean `batch-size`?'] },
  { name: 'a negative timeout', config: '[migrate]\ntimeout = -1\n', problems: ['canon.toml:2:11: migrate.timeout: expected a number of seconds > 0, got -1'] },
  {
    name: 'a timeout node cannot wait for (it would fire at once)',
    config: '[migrate]\ntimeout = 3000000\n',
    problems: ['canon.toml:2:11: migrate.timeout: expected a number of seconds > 0 and at most 2147483 (24 days), got 3000000'],
  },
  { name: 'timeout inf', config: '[migrate]\ntimeout = inf\n', problems: ['canon.toml:2:11: migrate.timeout: expected a number of seconds > 0, got Infinity'] },
  { name: 'an empty validate', config: '[migrate]\nvalidate = ""\n', problems: ['canon.toml:2:12: migrate.validate: must not be empty; leave `validate` out to skip validation'] },
  { name: 'a NUL in validate', config: '[migrate]\nvalidate = "pytest\\u0000-x"\n', problems: ['canon.toml:2:12: migrate.validate: must not contain a NUL character'] },
  { name: 'junit outside the root', config: '[migrate]\njunit = "../victim.txt"\n', problems: ['canon.toml:2:9: migrate.junit: "../victim.txt" is outside the project root; name a file inside it'] },
  { name: 'junit absolute', config: '[migrate]\njunit = "/tmp/junit.xml"\n', problems: ['canon.toml:2:9: migrate.junit: must be relative to the project root, got "/tmp/junit.xml"'] },
  { name: 'junit naming the root', config: '[migrate]\njunit = "."\n', problems: ['canon.toml:2:9: migrate.junit: names the project root; name a file'] },
  { name: 'junit naming a folder', config: '[migrate]\njunit = "reports"\n', files: { 'reports/keep.txt': '' }, problems: ['canon.toml:2:9: migrate.junit: "reports" is not a file (a folder?); name the file itself'] },
  {
    name: 'junit through a symbolic link out of the root',
    config: '[migrate]\njunit = "reports/junit.xml"\n',
    files: { reports: '-> ROOT/../outside' },
    problems: ['canon.toml:2:9: migrate.junit: "reports/junit.xml" leads outside the project root: reports is a symbolic link to OUTSIDE; canon writes and deletes files only inside the root'],
  },
  { name: 'junit as a number', config: '[migrate]\njunit = 3\n', problems: ['canon.toml:2:9: migrate.junit: expected a string, got an integer (3)'] },

  // [shim]
  { name: 'an unknown warning category', config: '[shim]\ncategory = "Warning"\n', problems: ['canon.toml:2:12: shim.category: unknown warning category "Warning"; expected one of: DeprecationWarning, FutureWarning, PendingDeprecationWarning, UserWarning'] },

  // pyproject.toml: key paths relative to [tool.canon], positions in the file
  {
    name: 'pyproject.toml: a glob out of the root',
    file: 'pyproject.toml',
    config: '[project]\nname = "x"\n\n[tool.canon]\nexclude = ["../vendor/**"]\n',
    problems: ['pyproject.toml:5:12: exclude[0]: "../vendor/**" reaches outside the project root (".."); globs match files inside it'],
  },
  {
    name: 'pyproject.toml: a cycle',
    file: 'pyproject.toml',
    config: '[tool.canon]\n[[tool.canon.move]]\nfrom = "p.a"\nto = "p.b"\n[[tool.canon.move]]\nfrom = "p.b"\nto = "p.a"\n',
    problems: ['pyproject.toml:4:6: move[0].to: move[0] and move[1] move these paths into each other (p.a -> p.b -> p.a); keep one of them'],
  },
  {
    name: 'pyproject.toml: [tool.canon] not a table',
    file: 'pyproject.toml',
    config: '[tool]\ncanon = true\n',
    problems: ['pyproject.toml:2:9: [tool.canon] must be a table, got a boolean (true)'],
  },
];

// Each case is one process of canon; a few run at once.
describe.concurrent('a malformed config: exit 2 and the exact problem', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const root = makeProject({});
      const outside = join(root, '..', `${root.split('/').pop()}-outside`);
      for (const [rel, content] of Object.entries(c.files ?? {})) {
        const p = join(root, rel);
        mkdirSync(dirname(p), { recursive: true });
        if (content.startsWith('-> ')) {
          mkdirSync(outside, { recursive: true });
          symlinkSync(outside, p);
        } else writeFileSync(p, content);
      }
      const text = typeof c.config === 'string' ? c.config.replace('ROOT', root) : c.config;
      writeFileSync(join(root, c.file ?? 'canon.toml'), text);
      const r = await runCliAsync(['verify'], { cwd: root });
      const n = c.problems.length;
      const expected = `error: invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n${c.problems.map((p) => `  ${p.replace('OUTSIDE', outside)}\n`).join('')}`;
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: expected });
    });
  }
});

// Do the project's tests turn warnings into errors? Then every use of a shim fails them (pytest's
// `filterwarnings = error` makes the first legacy import an INTERNALERROR). Every shim warning's
// message starts with SHIM_MESSAGE_PREFIX, so one filter exempts them all; this finds the filter
// that decides what happens to a shim warning, as Python and pytest would order them, and when it
// is an error says the exact line that exempts shim warnings and where it goes.
//
// Filters, highest precedence first: the validation command's pytest `-W` options, pytest's
// `addopts` `-W` options, pytest's `filterwarnings` (later lines win), the validation command's
// `python -W` options, then PYTHONWARNINGS (the command's own assignment, else canon's
// environment, which the validation command inherits).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';

/** The start of every shim warning's message (template.ts): `canon shim: legacy.X is deprecated; ...`. */
export const SHIM_MESSAGE_PREFIX = 'canon shim';

export interface WarningsAsErrors {
  /** Where the deciding `error` filter is: `pytest.ini:3`, `[migrate] validate`, `PYTHONWARNINGS`. */
  where: string;
  /** The filter as written there. */
  filter: string;
  /** The exact text that exempts shim warnings. */
  add: string;
  /** Where `add` goes, as a sentence: "Add this line to filterwarnings in pytest.ini, after `error` (line 3)". */
  how: string;
}

type Kind = 'pytest-W' | 'addopts-W' | 'ini' | 'python-W' | 'env';

interface Filter {
  text: string;
  kind: Kind;
  /** The message is a regular expression (pytest's ini lines) rather than literal text. */
  regex: boolean;
  where: string;
  /** For ini lines: the file and line; for the rest, where the option is written. */
  file?: string;
  line?: number;
  toml?: boolean;
}

const ACTIONS = ['default', 'error', 'ignore', 'always', 'module', 'once'];

/**
 * The filter that turns shim warnings into errors, with its fix; null when none does. `category`
 * is the shims' `[shim] category`.
 */
export function shimWarningsAsErrors(root: string, validate: string | null, category: string, env: NodeJS.ProcessEnv = process.env): WarningsAsErrors | null {
  const command = validate === null ? { pytest: [], python: [], env: null } : commandFilters(validate);
  const pytest = pytestConfig(root);
  const filters: Filter[] = [];
  const later = (list: Filter[]): Filter[] => [...list].reverse();
  filters.push(...later(command.pytest));
  if (pytest !== null) filters.push(...later(pytest.addopts), ...later(pytest.lines));
  filters.push(...later(command.python));
  const warnings = command.env ?? (env.PYTHONWARNINGS ? { value: env.PYTHONWARNINGS, where: 'PYTHONWARNINGS in the environment' } : null);
  if (warnings !== null) {
    filters.push(...later(warnings.value.split(',').filter((s) => s.trim() !== '').map((text): Filter => ({ text: text.trim(), kind: 'env', regex: false, where: warnings.where }))));
  }
  const message = `${SHIM_MESSAGE_PREFIX}: legacy.module.Name is deprecated; use "from canonical.module import Name"`;
  const decides = filters.find((f) => matches(f, message, category));
  if (!decides || action(decides.text) !== 'error') return null;
  return fix(decides, category);
}

/** The exemption: put where the deciding filter is, after it, so that it wins. */
function fix(f: Filter, category: string): WarningsAsErrors {
  const line = `default:${SHIM_MESSAGE_PREFIX}:${category}`;
  const option = `-W "${line}"`;
  switch (f.kind) {
    case 'ini':
      return f.toml
        ? { where: `${f.file}:${f.line}`, filter: f.text, add: `"${line}",`, how: `Add this entry to filterwarnings in ${f.file}, after "${f.text}" (line ${f.line})` }
        : { where: `${f.file}:${f.line}`, filter: f.text, add: line, how: `Add this line to filterwarnings in ${f.file}, after \`${f.text}\` (line ${f.line})` };
    case 'addopts-W':
      return { where: f.where, filter: `-W ${f.text}`, add: option, how: `Add this to addopts in ${f.where}, after \`-W ${f.text}\`` };
    case 'pytest-W':
    case 'python-W':
      return { where: f.where, filter: `-W ${f.text}`, add: option, how: `Add this to [migrate] validate, after \`-W ${f.text}\`` };
    case 'env':
      return { where: f.where, filter: f.text, add: `,${line}`, how: `Append this to ${f.where}` };
  }
}

/** Python's action names may be abbreviated to any prefix (`e` is `error`). */
function action(filter: string): string | null {
  const a = filter.split(':')[0].trim().toLowerCase();
  if (a === '') return null;
  return ACTIONS.find((x) => x.startsWith(a)) ?? null;
}

/** Would `f` apply to a shim warning with this message and category (a subclass of Warning)? */
function matches(f: Filter, message: string, category: string): boolean {
  if (action(f.text) === null) return false;
  // A module or line restriction (the 4th and 5th fields) is counted in: canon cannot tell which
  // importing module will warn.
  const [, msg = '', cat = ''] = f.text.split(':').map((s) => s.trim());
  if (msg !== '') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${f.regex ? msg : escapeRegex(msg)})`, 'i');
    } catch {
      return false;
    }
    if (!re.test(message)) return false;
  }
  if (cat !== '') {
    const name = cat.startsWith('builtins.') ? cat.slice('builtins.'.length) : cat;
    if (name !== category && name !== 'Warning') return false;
  }
  return true;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Shell words of a command line: quotes and backslashes as sh reads them, operators as words. */
export function shellWords(command: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  let i = 0;
  const push = (): void => {
    if (word !== null) out.push(word);
    word = null;
  };
  while (i < command.length) {
    const c = command[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      push();
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      word = (word ?? '') + command.slice(i + 1, end < 0 ? command.length : end);
      i = end < 0 ? command.length : end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < command.length && command[j] !== '"') {
        if (command[j] === '\\' && j + 1 < command.length) j++;
        s += command[j++];
      }
      word = (word ?? '') + s;
      i = j + 1;
    } else if (c === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[i + 1];
      i += 2;
    } else if (c === ';' || c === '&' || c === '|') {
      push();
      let j = i;
      while (j < command.length && command[j] === c) j++;
      out.push(command.slice(i, j));
      i = j;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  push();
  return out;
}

/** The `-W` options of a word list: `-W X`, `-WX`, and for pytest `--pythonwarnings[=]X`. */
function wOptions(words: string[], pytest: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-W' || (pytest && w === '--pythonwarnings')) {
      if (i + 1 < words.length) out.push(words[++i]);
    } else if (w.startsWith('-W')) out.push(w.slice(2));
    else if (pytest && w.startsWith('--pythonwarnings=')) out.push(w.slice('--pythonwarnings='.length));
  }
  return out;
}

/** The warning filters the validation command sets for python and for pytest, and its PYTHONWARNINGS. */
function commandFilters(validate: string): { pytest: Filter[]; python: Filter[]; env: { value: string; where: string } | null } {
  const where = '[migrate] validate';
  const pytest: Filter[] = [];
  const python: Filter[] = [];
  let env: { value: string; where: string } | null = null;
  const words = shellWords(validate);
  let start = 0;
  for (let i = 0; i <= words.length; i++) {
    if (i < words.length && !/^[;&|]+$/.test(words[i])) continue;
    let cmd = words.slice(start, i);
    start = i + 1;
    if (cmd[0] === 'env') cmd = cmd.slice(1);
    while (cmd.length > 0 && /^[A-Za-z_]\w*=/.test(cmd[0])) {
      if (cmd[0].startsWith('PYTHONWARNINGS=')) env = { value: cmd[0].slice('PYTHONWARNINGS='.length), where: 'PYTHONWARNINGS in [migrate] validate' };
      cmd = cmd.slice(1);
    }
    if (cmd.length === 0) continue;
    const program = cmd[0].split('/').pop()!;
    let rest = cmd.slice(1);
    if (/^python[\d.]*$/.test(program)) {
      // Options before the script or `-m module` are python's; after `-m pytest`, pytest's.
      const end = rest.findIndex((w, k) => w === '-m' || w === '-c' || (!w.startsWith('-') && rest[k - 1] !== '-W' && rest[k - 1] !== '-X'));
      const own = end < 0 ? rest : rest.slice(0, end);
      for (const text of wOptions(own, false)) python.push({ text, kind: 'python-W', regex: false, where });
      if (end < 0 || rest[end] !== '-m' || !/^(pytest|py\.test)$/.test(rest[end + 1] ?? '')) continue;
      rest = rest.slice(end + 2);
    } else if (!/^(pytest|py\.test)$/.test(program)) continue;
    for (const text of wOptions(rest, true)) pytest.push({ text, kind: 'pytest-W', regex: false, where });
  }
  return { pytest, python, env };
}

interface PytestConfig {
  lines: Filter[];
  addopts: Filter[];
}

/**
 * pytest's configuration in the project root, as pytest picks it: pytest.ini (even without a
 * [pytest] section), .pytest.ini, then pyproject.toml with [tool.pytest.ini_options], tox.ini with
 * [pytest], setup.cfg with [tool:pytest]. Null when there is none.
 */
function pytestConfig(root: string): PytestConfig | null {
  const candidates: [string, string | null][] = [
    ['pytest.ini', 'pytest'],
    ['.pytest.ini', 'pytest'],
    ['pyproject.toml', null],
    ['tox.ini', 'pytest'],
    ['setup.cfg', 'tool:pytest'],
  ];
  for (const [file, section] of candidates) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    if (section === null) {
      const found = pyprojectOptions(text, file);
      if (found !== null) return found;
      continue;
    }
    const values = iniSection(text, section);
    if (values === null) {
      if (file === 'pytest.ini' || file === '.pytest.ini') return { lines: [], addopts: [] };
      continue;
    }
    const lines = (values.get('filterwarnings') ?? []).map((v): Filter => ({ text: v.text, kind: 'ini', regex: true, where: `${file}:${v.line}`, file, line: v.line }));
    const addopts = (values.get('addopts') ?? []).flatMap((v) =>
      wOptions(shellWords(v.text), true).map((text): Filter => ({ text, kind: 'addopts-W', regex: false, where: `${file}:${v.line}` })),
    );
    return { lines, addopts };
  }
  return null;
}

/**
 * One section of an ini file as pytest's iniconfig reads it: `name = value` (or `name: value`),
 * indented lines continue the value, lines starting with `#` or `;` are comments. Each key's value
 * lines, with their 1-based line numbers; null when the section is absent.
 */
function iniSection(text: string, section: string): Map<string, { text: string; line: number }[]> | null {
  const lines = text.split(/\r?\n/);
  let inside = false;
  let found = false;
  let key: string | null = null;
  const out = new Map<string, { text: string; line: number }[]>();
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (raw.startsWith('[')) {
      const name = raw.split(/[#;]/)[0].trim().replace(/^\[|\]$/g, '').trim();
      inside = name === section;
      found ||= inside;
      key = null;
      return;
    }
    if (!inside) return;
    if (/^\s/.test(raw)) {
      if (key !== null) out.get(key)!.push({ text: trimmed, line: i + 1 });
      return;
    }
    const eq = raw.indexOf('=');
    const colon = raw.indexOf(':');
    const at = eq >= 0 ? eq : colon;
    if (at < 0) return;
    key = raw.slice(0, at).trim();
    const value = raw.slice(at + 1).trim();
    out.set(key, value === '' ? [] : [{ text: value, line: i + 1 }]);
  });
  return found ? out : null;
}

/** [tool.pytest.ini_options] of a pyproject.toml; null when it has none (or does not parse). */
function pyprojectOptions(text: string, file: string): PytestConfig | null {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const options = ((doc.tool as Record<string, unknown> | undefined)?.pytest as Record<string, unknown> | undefined)?.ini_options as Record<string, unknown> | undefined;
  if (options === undefined) return null;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split('\n').map((s) => s.trim()).filter((s) => s !== '') : []);
  const lines = text.split(/\r?\n/);
  const keyLine = lines.findIndex((l) => /^\s*filterwarnings\s*=/.test(l));
  const lineOf = (value: string): number => {
    for (let i = Math.max(keyLine, 0); i < lines.length; i++) if (lines[i].includes(`"${value}"`) || lines[i].includes(`'${value}'`)) return i + 1;
    return keyLine + 1;
  };
  const filters = list(options.filterwarnings).map((v): Filter => ({ text: v, kind: 'ini', regex: true, where: `${file}:${lineOf(v)}`, file, line: lineOf(v), toml: true }));
  const addoptsLine = lines.findIndex((l) => /^\s*addopts\s*=/.test(l)) + 1;
  // addopts is a string of shell words, or a list of the words themselves.
  const words = Array.isArray(options.addopts) ? options.addopts.map(String) : typeof options.addopts === 'string' ? shellWords(options.addopts) : [];
  const addopts = wOptions(words, true).map((text): Filter => ({ text, kind: 'addopts-W', regex: false, where: `${file}:${addoptsLine}` }));
  return { lines: filters, addopts };
}

// canon init's engine: pick the file to write (canon.toml, or [tool.canon] in pyproject.toml),
// propose a layout from the project's Python files, render it, and check the result loads
// before anything is written. Never overwrites without `force`. Prints nothing.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { findConfig, formatConfigProblem, loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { discover } from '../discover/api.js';
import type { SuggestedMove } from '../discover/model.js';
import { writeFileChecked } from '../fs/atomic.js';
import { readRegularFile } from '../fs/input.js';
import { scratchDir } from '../fs/temp.js';
import { listPythonFiles } from '../project/files.js';
import { proposeLayout, type LayoutProposal } from './layout.js';
import { addCanonSection, hasCanonTable } from './pyproject.js';
import { renderConfig, type InitStyle, type ProposedMove } from './render.js';
import { plural } from '../core/text.js';

export interface InitOptions {
  cwd?: string;
  /** The file to write (--config); default: canon.toml, or pyproject.toml when only that exists. */
  target?: string;
  force?: boolean;
  /** Propose moves from the import graph (discover); without it the file holds a commented example. */
  discover?: boolean;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
}

export interface InitResult {
  /** Absolute path of the file written (or that would be). */
  file: string;
  style: InitStyle;
  /** The configuration text: the whole canon.toml, or the [tool.canon] section. */
  section: string;
  /** The file's full new text. */
  text: string;
  proposal: LayoutProposal;
  /** The moves proposed (--discover), or null. */
  moves: ProposedMove[] | null;
  /** An existing configuration was replaced (--force). */
  replaced: boolean;
  written: boolean;
  /** Things worth saying that are not errors. */
  notes: string[];
}

const CANON_TOML = 'canon.toml';
const PYPROJECT = 'pyproject.toml';

export function initTarget(cwd: string, target?: string): { file: string; style: InitStyle } {
  if (target !== undefined) {
    const file = resolve(cwd, target);
    return { file, style: basename(file) === PYPROJECT ? 'pyproject' : 'canon.toml' };
  }
  if (!existsSync(join(cwd, CANON_TOML)) && existsSync(join(cwd, PYPROJECT))) return { file: join(cwd, PYPROJECT), style: 'pyproject' };
  return { file: join(cwd, CANON_TOML), style: 'canon.toml' };
}

/** The layout of the project rooted at `root`, from the files git (or a walk) lists. */
export async function proposeFor(root: string): Promise<LayoutProposal> {
  const probe: Config = {
    root, configFile: join(root, CANON_TOML), src: ['.'], include: ['**/*.py'], exclude: [], perFileIgnores: [], moves: [], areas: [],
    migrate: { validate: null, batchSize: 5, timeout: null, junit: null }, shim: { category: 'DeprecationWarning' },
  };
  const { files } = await listPythonFiles(probe, undefined, root);
  return proposeLayout(files);
}

export async function runInit(opts: InitOptions = {}): Promise<InitResult> {
  const cwd = opts.cwd ?? process.cwd();
  const { file, style } = initTarget(cwd, opts.target);
  const root = dirname(file);
  // A folder inside a project that is configured already: a second config here would make a
  // project of its own, whose scan (and CI gate) sees only this folder.
  if (opts.target === undefined && !opts.force) {
    const outer = findConfig(cwd);
    if (outer !== null && dirname(outer.file) !== root) {
      throw new UsageError(`this folder is inside a project configured by ${relative(cwd, outer.file)}: run canon from anywhere in it (every command finds that file), or pass --force to make this folder a project of its own`);
    }
  }
  const shown = basename(file);
  const notes: string[] = [];

  let originalBytes: Buffer | null = null;
  try {
    originalBytes = readRegularFile(file);
  } catch (e) {
    // Anything but a missing file (a pipe, a path through a file, no permission) is for the command
    // boundary to word (core/faults.ts).
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const original = originalBytes === null ? null : originalBytes.toString('utf8');
  let replaced = false;
  if (style === 'canon.toml') {
    if (original !== null && !opts.force) throw new UsageError(`${shown} already exists; pass --force to overwrite it`);
    replaced = original !== null;
  } else {
    if (original === null) throw new UsageError(`${file} not found; \`canon init\` adds [tool.canon] to an existing pyproject.toml (or writes canon.toml without --config)`);
    replaced = hasCanonTable(original);
    if (replaced && !opts.force) throw new UsageError(`${shown} already has a [tool.canon] table; pass --force to replace it`);
  }

  const proposal = await proposeFor(root);
  const moves = opts.discover ? await discoverMoves(root, proposal) : null;
  const section = renderConfig(proposal, moves, style);
  const text = style === 'canon.toml' ? section : addCanonSection(original!, section, replaced);
  validate(text, basename(file), cwd);

  if (style === 'canon.toml' && existsSync(join(root, PYPROJECT)) && mentionsCanon(join(root, PYPROJECT))) {
    notes.push(`${CANON_TOML} takes precedence over the [tool.canon] table in ${PYPROJECT}`);
  }
  if (style === 'pyproject' && existsSync(join(root, CANON_TOML))) {
    notes.push(`${CANON_TOML} in the same folder takes precedence over [tool.canon] in ${PYPROJECT}`);
  }
  if (!opts.dryRun && writeFileChecked(file, Buffer.from(text, 'utf8'), originalBytes, scratchDir(root)) === 'changed') {
    throw new UsageError(`${shown} changed while canon init was working; it was left as it is`, ['run `canon init` again']);
  }
  return { file, style, section, text, proposal, moves, replaced, written: !opts.dryRun, notes };
}

const RULE_TEXT: Record<SuggestedMove['rule'], string> = {
  'defining-module': 'the module that defines it',
  'most-used-public-path': 'the public path imported most often',
  'most-used-path': 'the path imported most often',
  'package-re-export': "its package's re-export, imported more often than the defining module",
};

/** discover's suggested moves over the proposed layout, each with a note on why. */
async function discoverMoves(root: string, proposal: LayoutProposal): Promise<ProposedMove[]> {
  const found = await discover({ root, src: proposal.src, include: ['**/*.py'], exclude: proposal.exclude, moves: [] });
  return found.moves.map((m) => ({
    from: m.from,
    to: m.to,
    note: `${plural(m.imports, 'import')} in ${plural(m.files, 'file')}; canonical: ${RULE_TEXT[m.rule]}`,
  }));
}

function mentionsCanon(file: string): boolean {
  try {
    return hasCanonTable(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** The text must load as canon's configuration; a failure here is a bug in init, so it is loud. */
function validate(text: string, name: string, cwd: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'canon-init-'));
  try {
    const probe = join(dir, name === PYPROJECT ? PYPROJECT : CANON_TOML);
    writeFileSync(probe, text);
    const loaded = loadConfig(probe);
    if ('problems' in loaded) {
      throw new Error(`canon init produced a configuration that does not load:\n${loaded.problems.map((p) => formatConfigProblem(p, cwd)).join('\n')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The starter configuration as TOML text: a whole canon.toml, or the [tool.canon] section that
// goes into a pyproject.toml. Comments explain each setting, since this is what a user edits first.

import type { AreaGroup, LayoutProposal } from './layout.js';

/** A move `canon init --discover` proposes; `note` becomes a comment above it. */
export interface ProposedMove {
  from: string;
  to: string;
  note?: string;
}

export type InitStyle = 'canon.toml' | 'pyproject';

const GROUP_TITLE: Record<AreaGroup, string> = {
  application: 'Application packages',
  tests: 'Tests',
  scripts: 'Scripts, tools and examples',
};

function str(s: string): string {
  return JSON.stringify(s);
}

function list(xs: readonly string[]): string {
  return `[${xs.map(str).join(', ')}]`;
}

export function renderConfig(p: LayoutProposal, moves: readonly ProposedMove[] | null, style: InitStyle): string {
  const pre = style === 'pyproject' ? 'tool.canon.' : '';
  const out: string[] = [];
  if (style === 'pyproject') out.push('[tool.canon]');
  out.push(
    '# canon configuration, written by `canon init`: edit freely, then run `canon verify` and `canon scan`.',
    '',
    '# Import roots: folders whose contents import as top-level modules ("." is this folder).',
    `src = ${list(p.src)}`,
    '',
    '# Files canon never scans or rewrites (globs relative to this folder).',
    p.exclude.length > 0 ? `exclude = ${list(p.exclude)}` : '# exclude = ["build/**"]',
    '',
  );
  const pkg = p.samplePackage ?? 'pkg';
  out.push(
    '# One [[move]] per legacy import path: `from` is the legacy path, `to` the canonical one.',
    '# A symbol is "module:Name"; a dotted module path moves the module and its submodules.',
  );
  if (moves && moves.length > 0) {
    for (const m of moves) {
      out.push('');
      if (m.note) for (const line of m.note.split('\n')) out.push(`# ${line}`);
      out.push(`[[${pre}move]]`, `from = ${str(m.from)}`, `to = ${str(m.to)}`);
    }
  } else {
    out.push(`# [[${pre}move]]`, `# from = ${str(`${pkg}.old_module:Thing`)}`, `# to = ${str(`${pkg}.new_module:Thing`)}`);
  }
  out.push(
    '',
    '# Areas order the migration and group the reports. A file belongs to the first area whose',
    '# paths match, else to "other" (priority low). Priorities: critical, high, medium, low.',
  );
  let block: AreaGroup | null = null;
  for (const a of p.areas) {
    if (a.block !== block) {
      block = a.block;
      out.push('', `# ${GROUP_TITLE[a.block]}`);
    } else out.push('');
    out.push(`[[${pre}area]]`, `name = ${str(a.name)}`, `paths = ${list(a.paths)}`, `priority = ${str(a.priority)}`);
  }
  out.push(
    '',
    '# `canon migrate` runs this after each batch of files and keeps a batch only if it passes.',
    `# [${pre}migrate]`,
    '# validate = "python -m pytest -x -q"',
    '# batch-size = 5',
  );
  return out.join('\n') + '\n';
}

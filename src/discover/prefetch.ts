// Module bindings parsed ahead of resolution, on any thread, and a Resolver that uses them: what
// makes resolving a large project's import paths a parallel job rather than one long serial one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleBindings, type ModuleBindings } from '../python/bindings.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { Resolver, type SourceHost } from '../python/resolve.js';

export type ParsedBindings = [string, ModuleBindings | null][];

/** The bindings of `[module, file]`s (null: unreadable). Files holding a canon shim are left to the resolver, which reads its table. */
export function parseBindings(root: string, modules: [string, string][]): ParsedBindings {
  const out: ParsedBindings = [];
  for (const [module, file] of modules) {
    let text: string;
    try {
      text = readFileSync(join(root, file)).toString('latin1');
    } catch {
      out.push([module, null]);
      continue;
    }
    if (!text.includes('# canon: begin shim')) out.push([module, moduleBindings(text)]);
  }
  return out;
}

export class PrefetchedResolver extends Resolver {
  constructor(
    index: ModuleIndex,
    host: SourceHost,
    private readonly parsed: Map<string, ModuleBindings | null>,
  ) {
    super(index, host);
  }

  override bindingsOf(module: string): ModuleBindings | null {
    const b = this.parsed.get(module);
    return b !== undefined ? b : super.bindingsOf(module);
  }
}

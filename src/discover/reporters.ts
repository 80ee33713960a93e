// The discover reporters, one small file per format, registered in one map.

import type { DiscoverReporter } from './format.js';
import { discoverJson } from './json.js';
import { discoverMarkdown } from './markdown.js';
import { discoverText } from './text.js';

/** Keep in step with DISCOVER_FORMATS in commands/discover.ts (which does not load this file at start). */
export type DiscoverFormat = 'text' | 'json' | 'markdown';

export const discoverReporters: Record<DiscoverFormat, DiscoverReporter> = {
  text: discoverText,
  json: discoverJson,
  markdown: discoverMarkdown,
};

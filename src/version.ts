// canon's version, read once from package.json.

import { readFileSync } from 'node:fs';
import { BUNDLED_VERSION } from './bundle.js';

export const VERSION: string =
  BUNDLED_VERSION ?? (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

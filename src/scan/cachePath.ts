// Where the scan cache lives, apart from the cache itself: the command line's dispatcher looks for
// it before the scan's code is loaded (src/early.ts), and should not load that code to know.

export const CACHE_DIR = '.canon/cache';
export const SCAN_CACHE_FILE = 'scan-v2.json';

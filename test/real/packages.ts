// Which standard-library packages the real-package harness copies, and which of the stdlib's own
// tests judge each one. Paths are relative to the stdlib folder; a test entry is a module or a
// package under `test/`, run as one unit, or with `split` one unit per `test_*` submodule (so a
// hang or crash costs only that submodule's tests). `data` is copied but never run.

export interface PackageSpec {
  /** The package, as imported: `json`, `xml`. */
  name: string;
  /** Test modules or packages, as paths under the stdlib folder. */
  tests: string[];
  /** Test packages run one submodule per process. */
  split?: string[];
  /** Folders and files the tests read. */
  data?: string[];
  /**
   * Tests run in the full set when this install has them (the slice stays fast without them);
   * copied whenever present, since canon fixes them too.
   */
  optional?: string[];
  /** Why the tests are what they are, where that is not obvious. */
  note?: string;
}

/** Always copied: the `test` package and the support code every stdlib test imports. */
export const TEST_SUPPORT = ['test/__init__.py', 'test/support'];

export const PACKAGES: Record<string, PackageSpec> = {
  json: { name: 'json', tests: ['test/test_json'] },
  concurrent: {
    name: 'concurrent',
    // This machine's Python 3.11 ships no test_concurrent_futures; these stdlib tests drive
    // concurrent.futures (ThreadPoolExecutor, Future, thread._WorkItem), and asyncio's drive the rest.
    tests: ['test/test_context.py', 'test/test_genericalias.py'],
    // Python 3.11 as pyenv built it here has no test_concurrent_futures (python.org and Debian's
    // libpython3.11-testsuite ship the module; 3.12 and later, a package).
    optional: ['test/test_concurrent_futures.py', 'test/test_concurrent_futures'],
    note: 'test_context and test_genericalias use concurrent.futures; test_concurrent_futures where the install has it',
  },
  email: { name: 'email', tests: ['test/test_email'] },
  importlib: { name: 'importlib', tests: ['test/test_importlib'], split: ['test/test_importlib'] },
  logging: { name: 'logging', tests: ['test/test_logging.py'], data: ['test/certdata'] },
  asyncio: { name: 'asyncio', tests: ['test/test_asyncio'], split: ['test/test_asyncio'], data: ['test/certdata'] },
  xml: {
    name: 'xml',
    tests: ['test/test_xml_etree.py', 'test/test_xml_etree_c.py', 'test/test_minidom.py', 'test/test_pulldom.py', 'test/test_sax.py', 'test/test_xml_dom_minicompat.py'],
    data: ['test/xmltestdata'],
  },
};

/** The slice `npm test` runs; `CANON_REAL=full` (npm run test:real) runs every package. */
export const FAST = ['json', 'concurrent'];
export const FULL = Object.keys(PACKAGES);

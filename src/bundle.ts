// What scripts/bundle.mjs tells the code it bundles. The command line ships bundled (dist/bin/: a
// dispatcher, then one file per command): node then loads two files instead of a hundred modules,
// which is a third of a pre-commit run's start-up. tsc's output (dist/, the library) and the
// sources (tests) run unbundled.

declare const __CANON_BUNDLE__: boolean | undefined;
declare const __CANON_VERSION__: string | undefined;
declare const __CANON_BUILD__: string | undefined;

/** True inside the bundle. */
export const BUNDLED: boolean = typeof __CANON_BUNDLE__ !== 'undefined' && __CANON_BUNDLE__ === true;

/** canon's version when the bundler wrote it in; null otherwise. */
export const BUNDLED_VERSION: string | null = typeof __CANON_VERSION__ === 'string' ? __CANON_VERSION__ : null;

/**
 * An id of the bundled code (a hash of it), null unbundled: what the scan cache is keyed on, so
 * that a cache never outlives the code that wrote it.
 */
export const BUILD_ID: string | null = typeof __CANON_BUILD__ === 'string' ? __CANON_BUILD__ : null;

/**
 * A worker thread's script: in the bundle, `dist/bin/<bundled>` (every bundled file sits in that
 * one folder); unbundled, the `unbundled` URL the caller computed beside its own module.
 */
export function workerUrl(bundled: string, unbundled: URL): URL {
  return BUNDLED ? new URL(`./${bundled}`, import.meta.url) : unbundled;
}

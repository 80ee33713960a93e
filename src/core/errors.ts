// A mistake the user can fix (bad flag, bad config, bad path): printed as `error: ...`, exit 2.
// Anything else thrown is a bug in canon and stays loud.

export class UsageError extends Error {
  constructor(
    message: string,
    /** Further lines printed after the message (one problem per line). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

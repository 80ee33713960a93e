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

/**
 * The machine refused a file operation canon needed: a full disk, no permission, a read-only file
 * system. Not a bug in canon and not a mistake in the command, but like a UsageError it is printed
 * as `error: ...` with exit 2, never as a stack trace. canon raises it where it writes (fix, shim,
 * migrate and its journal, baseline, init, the lock) only once what it was writing is left whole:
 * each file holds either its old bytes or its new ones. `state` says what was and was not written,
 * `advice` what to do; `details` is both, for the printer.
 */
export class MachineFault extends UsageError {
  constructor(
    message: string,
    readonly state: string[],
    readonly advice: string,
    /** The errno code (`ENOSPC`, `EACCES`, ...). */
    readonly code: string,
    /** The file or folder the operation was on, when known. */
    readonly path: string | null,
    /** The system error itself: the command boundary words it (core/faults.ts). */
    override readonly cause: unknown = null,
    /** The file canon was writing when the system error names none (a write on a descriptor) or a temporary. */
    readonly target: string | null = null,
  ) {
    super(message, [...state, advice]);
  }
}

const FAULT_WORDS: Record<string, [what: string, advice: string]> = {
  ENOSPC: ['no space left on the device', 'free some space and run the command again'],
  EDQUOT: ['disk quota exceeded', 'free some space and run the command again'],
  EACCES: ['permission denied', 'check the permissions of the file and its folder'],
  EPERM: ['operation not permitted', 'check the permissions of the file and its folder'],
  EROFS: ['read-only file system', 'run canon where it can write'],
  EIO: ['input/output error', 'check the disk'],
  EMFILE: ['too many open files', 'raise the limit (ulimit -n) and run the command again'],
  ENFILE: ['too many open files in the system', 'run the command again later'],
};

/** A Node system error (an errno code), as the file operations throw them. */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!);
}

/**
 * `e` as a MachineFault when it is a system error (else `e` itself, to be rethrown): `doing` says
 * what canon was doing (`cannot write app/x.py`), `state` what that leaves. A MachineFault keeps
 * its message and gains the state.
 */
export function machineFault(e: unknown, doing: string, state: string[] = [], target: string | null = null): unknown {
  if (e instanceof MachineFault) return state.length > 0 ? new MachineFault(e.message, [...e.state, ...state], e.advice, e.code, e.path, e.cause, e.target ?? target) : e;
  if (!isSystemError(e)) return e;
  const [what, advice] = FAULT_WORDS[e.code] ?? [e.message.replace(/^E[A-Z]+: /, ''), 'fix the cause and run the command again'];
  return new MachineFault(`${doing}: ${what} (${e.code})`, state, advice, e.code, e.path ?? null, e, target);
}

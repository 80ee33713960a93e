// What canon's launcher set aside, put back. `dist/bin/canon.js` begins with two lines for sh (see
// scripts/bundle.mjs): run as a program, it starts node without NODE_EXTRA_CA_CERTS, which Node 20
// reads at start-up, before any script runs, together with its own root certificates (37 ms of a
// 140 ms pre-commit check on the bench machine). canon opens no network connection; the commands it
// runs (the validation command, python3, git) get the variable back, as the user set it.

/** The variable the launcher moved NODE_EXTRA_CA_CERTS into. */
export const SET_ASIDE = 'CANON_NODE_EXTRA_CA_CERTS';

/** Move the launcher's copy back into NODE_EXTRA_CA_CERTS (the child processes' environment). */
export function restoreLaunchEnv(env: NodeJS.ProcessEnv = process.env): void {
  const kept = env[SET_ASIDE];
  if (kept === undefined) return;
  env.NODE_EXTRA_CA_CERTS = kept;
  delete env[SET_ASIDE];
}

// Small wording helpers shared by every reporter.

/** `1 file`, `2 files`; `many` for irregular plurals. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

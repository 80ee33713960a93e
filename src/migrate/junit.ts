// Reads the outcome of each test from a JUnit XML report (pytest --junitxml, unittest-xml-reporting,
// most runners). Only <testcase> elements and their <failure>/<error>/<skipped> children matter.

export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface JUnitCase {
  /** `classname::name`, or `name` when there is no classname. */
  id: string;
  outcome: TestOutcome;
  /** The failure or error message, when there is one. */
  message: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

function attr(attrs: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? decode(m[2] ?? m[3] ?? '') : null;
}

/** Every test case in `xml`, in document order; null when the text holds no <testsuite(s)> at all. */
export function parseJUnit(xml: string): JUnitCase[] | null {
  if (!/<testsuites?\b/.test(xml)) return null;
  const cases: JUnitCase[] = [];
  const open = /<testcase\b([^>]*?)(\/?)>/g;
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const attrs = m[1];
    const name = attr(attrs, 'name') ?? '?';
    const cls = attr(attrs, 'classname');
    const id = cls ? `${cls}::${name}` : name;
    if (m[2] === '/') {
      cases.push({ id, outcome: 'passed', message: '' });
      continue;
    }
    const close = xml.indexOf('</testcase>', open.lastIndex);
    const body = xml.slice(open.lastIndex, close < 0 ? xml.length : close);
    if (close >= 0) open.lastIndex = close;
    const child = /<(failure|error|skipped)\b([^>]*?)\/?>/.exec(body);
    if (!child) {
      cases.push({ id, outcome: 'passed', message: '' });
      continue;
    }
    const kind = child[1];
    cases.push({
      id,
      outcome: kind === 'failure' ? 'failed' : kind === 'error' ? 'error' : 'skipped',
      message: attr(child[2], 'message') ?? '',
    });
  }
  return cases;
}

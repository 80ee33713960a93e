// Which comments suppress a finding: `# canon: ignore`, and ruff's `# noqa: CODES` grammar (the
// cases follow ruff's own lexer: crates/ruff_linter/src/noqa.rs).

import { describe, expect, test } from 'vitest';
import { noqaCodes, suppresses } from '../../src/scan/suppression.js';

describe('noqa directives as ruff reads them', () => {
  test.each([
    ['from a import b  # noqa: CAN001', ['CAN001']],
    ['from a import b  # noqa:CAN001', ['CAN001']],
    ['from a import b  #noqa: CAN001', ['CAN001']],
    ['from a import b  # NOQA: CAN001', ['CAN001']],
    ['from a import b  # NoQa : CAN001', ['CAN001']],
    ['from a import b  # noqa: CAN001,CAN002', ['CAN001', 'CAN002']],
    ['from a import b  # noqa: CAN001, CAN002', ['CAN001', 'CAN002']],
    ['from a import b  # noqa: CAN001 CAN002', ['CAN001', 'CAN002']],
    ['from a import b  # noqa: F401,   ,CAN002', ['F401', 'CAN002']],
    ['from a import b  # noqa: CAN001CAN002', ['CAN001', 'CAN002']],
    ['from a import b  # noqa: CAN001 kept for the plugin API', ['CAN001']],
    ['from a import b  # noqa: CAN001# another comment', ['CAN001']],
    ['from a import b  # a remark # noqa: CAN001', ['CAN001']],
    // Bare: every rule of other linters; canon reads it as naming none of its codes.
    ['from a import b  # noqa', []],
    ['from a import b  # noqa because', []],
    ['from a import b  # noqa# x', []],
    // Not a directive (ruff rejects these, so nothing is suppressed).
    ['from a import b  # noqa:', null],
    ['from a import b  # noqa: unused-import', null],
    ['from a import b  # noqa: can001', null],
    ['from a import b  # noqaCAN001', null],
    ['from a import b  # noqa: CAN001x', null],
    ['from a import b  # noqa; CAN001', null],
    ['from a import b', null],
    ['from a import b  # no qa', null],
  ])('%s', (line, codes) => {
    expect(noqaCodes(line)).toEqual(codes);
  });
});

describe('suppresses', () => {
  test('# canon: ignore suppresses every code; # noqa only the codes it names', () => {
    expect(suppresses('import a  # canon: ignore', 'CAN002')).toBe(true);
    expect(suppresses('import a  # canon:ignore (generated)', 'CAN001')).toBe(true);
    expect(suppresses('import a  # noqa: CAN001', 'CAN001')).toBe(true);
    expect(suppresses('import a  # noqa: CAN001', 'CAN002')).toBe(false);
    expect(suppresses('import a  # noqa: F401, CAN002', 'CAN002')).toBe(true);
    expect(suppresses('import a  # noqa', 'CAN001')).toBe(false);
    expect(suppresses('import a  # noqa: F401', 'CAN001')).toBe(false);
    expect(suppresses('import a', 'CAN001')).toBe(false);
  });
});

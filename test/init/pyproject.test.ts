import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { addCanonSection, hasCanonTable } from '../../src/init/pyproject.js';

const SECTION = '[tool.canon]\nsrc = ["."]\n\n[[tool.canon.area]]\nname = "app"\npaths = ["app/**"]\n';

const PYPROJECT = [
  '# Build settings',
  '[build-system]',
  'requires = ["setuptools>=61"]   # keep in sync',
  '',
  '[project]',
  'name    =   "demo"',
  "dependencies = [",
  '  "requests",  # http',
  ']',
  '',
  '# Lint',
  '[tool.ruff]',
  'line-length = 100',
  '',
].join('\n');

describe('addCanonSection', () => {
  test('appends after everything else, leaving every byte before it alone', () => {
    const out = addCanonSection(PYPROJECT, SECTION, false);
    expect(out).toBe(PYPROJECT + '\n' + SECTION);
    expect(hasCanonTable(out)).toBe(true);
  });

  test('adds the missing final newline; keeps CRLF line ends', () => {
    expect(addCanonSection('[project]\nname = "x"', SECTION, false)).toBe('[project]\nname = "x"\n\n' + SECTION);
    const crlf = '[project]\r\nname = "x"\r\n';
    expect(addCanonSection(crlf, SECTION, false)).toBe(crlf + '\r\n' + SECTION.replace(/\n/g, '\r\n'));
  });

  test('replace: puts the new section where the old one was; comments of the next table stay', () => {
    const old = [
      '[project]',
      'name = "x"',
      '',
      '[tool.canon]',
      'src = ["old"]',
      '# old canon comment',
      '',
      '[[tool.canon.move]]',
      'from = "a:B"',
      'to = "c:B"',
      '',
      '# Black settings',
      '[tool.black]',
      'line-length = 90',
      '',
      "[[ tool . 'canon' . area ]]  # odd spelling",
      'name = "z"',
      'paths = ["z/**"]',
      '',
    ].join('\n');
    expect(addCanonSection(old, SECTION, true)).toBe(
      ['[project]', 'name = "x"', '', SECTION + '', '# Black settings', '[tool.black]', 'line-length = 90', '', ''].join('\n'),
    );
  });

  test('refuses what it cannot do textually', () => {
    expect(() => addCanonSection('tool = { black = { x = 1 } }\n', SECTION, false)).toThrow(UsageError);
    expect(() => addCanonSection('[tool]\ncanon.src = ["."]\n', SECTION, true)).toThrow(/without a \[tool.canon\] header/);
    expect(() => addCanonSection('[project\n', SECTION, false)).toThrow(/pyproject.toml is not valid TOML; fix it first/);
  });

  test('a nested array that looks like a header is not mistaken for one', () => {
    const text = '[tool.canon]\nsrc = ["."]\n\n[tool.x]\nmatrix = [\n  [1],\n]\n';
    const out = addCanonSection(text, SECTION, true);
    expect(out).toBe(SECTION + '\n[tool.x]\nmatrix = [\n  [1],\n]\n');
  });
});

// The HTML report in a real headless browser (Debian's chromium, which npm test's pretest installs
// when it is missing): load the page, then assert on what it shows and that its filter works.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { summarize } from '../../src/core/summary.js';
import { renderHtmlReport } from '../../src/report/html/page.js';
import { runScan } from '../../src/scan/runScan.js';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/externals.js';
import { CLI, copyExample, git, runCli } from '../helpers/project.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let browser: Browser;
let pagePath: string;

beforeAll(async () => {
  const dir = copyExample();
  const loaded = loadConfig(join(dir, 'canon.toml'));
  if (!('config' in loaded)) throw new Error('example config invalid');
  const config = loaded.config;
  const scan = await runScan(config, { jobs: 1 });
  const summary = summarize(scan.findings, scan.verdicts, config.areas, scan.stats, false);
  const html = renderHtmlReport({
    title: 'Consolidation report <example>',
    generatedAt: '2026-11-25T12:00:00Z',
    summary,
    findings: scan.findings,
    moves: summary.byMove.map((m, i) => ({ move: m.move, canonical: m.canonical, verdict: m.verdict, reason: scan.verdicts[i].reason })),
    shims: [{ legacy: 'app.websocket_core.manager:WebSocketManager', canonical: 'app.websocket_core.websocket_manager:WebSocketManager', file: 'app/websocket_core/manager.py', uses: 12 }],
    usage: [
      { legacy: 'app.websocket_core.manager:WebSocketManager', canonical: 'app.websocket_core.websocket_manager:WebSocketManager', uses: 12, callers: 5, inPlace: true },
      { legacy: 'app.legacy_utils:slugify', canonical: 'app.utils:slugify', uses: 2, callers: 1, inPlace: false },
    ],
    history: [
      { commit: 'aaaaaaaa1', date: '2025-09-01T00:00:00Z', violations: 40 },
      { commit: 'bbbbbbbb2', date: '2025-09-08T00:00:00Z', violations: 31 },
      { commit: 'cccccccc3', date: '2025-09-15T00:00:00Z', violations: 22 },
    ],
    linkBase: '',
  });
  const out = mkdtempSync(join(tmpdir(), 'canon-html-'));
  pagePath = join(out, 'report.html');
  writeFileSync(pagePath, html);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
});

describe('HTML report in chromium', () => {
  test('shows the headline figures, charts, shims and findings; the filter narrows the table', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${pagePath}`);
    expect(await page.title()).toBe('Consolidation report <example>');
    expect(await page.locator('#fig-violations .n').innerText()).toBe('22');
    expect(await page.locator('#fig-fixable .n').innerText()).toBe('20');
    expect(await page.locator('#fig-shims .n').innerText()).toBe('1');
    // One bar per area with violations, labelled, and visibly drawn.
    const bars = page.locator('#chart-area g.bar');
    expect(await bars.count()).toBe(5);
    expect(await bars.first().getAttribute('data-label')).toBe('routes (critical)');
    const box = await page.locator('#chart-area g.bar rect').first().boundingBox();
    expect(box!.width).toBeGreaterThan(10);
    expect(await page.locator('#chart-priority g.bar').count()).toBe(4);
    expect(await page.locator('#chart-burndown circle.point').count()).toBe(3);
    expect(await page.locator('#moves tbody tr').count()).toBe(5);
    expect(await page.locator('#moves tbody tr').nth(2).locator('td').nth(2).innerText()).toBe('divergent');
    expect(await page.locator('#shims tbody td').last().innerText()).toBe('12');
    // Remaining findings: violations only, each linking to file:line.
    const rows = page.locator('#findings tbody tr');
    expect(await rows.count()).toBe(22);
    expect(await rows.first().locator('a').getAttribute('href')).toBe('app/agents/supervisor/agent_registry.py#L4');
    await page.fill('#filter', 'notifications.py');
    expect(await page.locator('#findings tbody tr:visible').count()).toBe(2);
    expect(await page.locator('#shown').innerText()).toBe('2');
    await page.screenshot({ path: pagePath.replace(/\.html$/, '.png'), fullPage: true });
    expect(requests).toEqual([]);
  });

  test('the fixable stripe has a legend; the burn-down has axis titles and dated ticks', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${pagePath}`);
    expect(await page.locator('#chart-area .legend').innerText()).toMatch(/violations \(colour: the area's priority\)\s+of which fixable now \(the dark stripe\)/);
    // The stripe is drawn: as long as the fixable count, inside its bar.
    const services = page.locator('#chart-area g.bar[data-label="services (high)"]');
    const whole = (await services.locator('rect').first().boundingBox())!;
    const part = (await services.locator('rect.part').boundingBox())!;
    expect(part.width).toBeGreaterThan(0);
    expect(part.width).toBeLessThanOrEqual(whole.width);
    expect(await page.locator('#chart-burndown text.axis-title').allTextContents()).toEqual(['Commit date (oldest left; one point per commit)', 'Violations']);
    expect(await page.locator('#chart-burndown text.tick-x').allTextContents()).toEqual(['2025-09-01', '2025-09-08', '2025-09-15']);
    expect(await page.locator('#chart-burndown text.tick-commit').allTextContents()).toEqual(['aaaaaaaa', 'bbbbbbbb', 'cccccccc']);
  });

  test('the page uses the window\'s width; locations never wrap, paths only after a dot or colon', async () => {
    const wide = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await wide.goto(`file://${pagePath}`);
    expect((await wide.locator('main').boundingBox())!.width).toBeGreaterThan(1500);
    const narrow = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await narrow.goto(`file://${pagePath}`);
    // Every location link is one line box, however narrow the window.
    const lines = await narrow.locator('#findings td.loc a').evaluateAll((as) => as.map((a) => a.getClientRects().length));
    expect(lines.length).toBe(22);
    expect(lines.every((n) => n === 1)).toBe(true);
    // A path that wraps does so after a dot or colon: each line of it ends with one (or the path).
    const breaks = await narrow.locator('#findings tbody tr td:nth-child(4) code').evaluateAll((codes) =>
      codes.flatMap((code) => {
        const text = code.textContent ?? '';
        const range = document.createRange();
        const tops: number[] = [];
        const ends: string[] = [];
        let node = code.firstChild;
        let offset = 0;
        for (; node; node = node.nextSibling) {
          if (node.nodeType !== Node.TEXT_NODE) continue;
          for (let i = 0; i < (node.textContent ?? '').length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const top = range.getBoundingClientRect().top;
            if (tops.length > 0 && top > tops[tops.length - 1] + 2) ends.push(text[offset + i - 1]);
            if (tops.length === 0 || top > tops[tops.length - 1] + 2) tops.push(top);
          }
          offset += (node.textContent ?? '').length;
        }
        return ends;
      }),
    );
    expect(breaks.length).toBeGreaterThan(0); // at 900 pixels some paths do wrap
    expect([...new Set(breaks)].sort()).toEqual(['.', ':'].filter((c) => breaks.includes(c)));
  });

  test('shim use from the usage log, with or without a shim in place', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${pagePath}`);
    const rows = page.locator('#usage tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').allInnerTexts()).toEqual(['app.websocket_core.manager:WebSocketManager', 'app.websocket_core.websocket_manager:WebSocketManager', '12', '5', 'yes']);
    expect(await rows.nth(1).locator('td').allInnerTexts()).toEqual(['app.legacy_utils:slugify', 'app.utils:slugify', '2', '1', 'no']);
  });
});

describe('canon report --format html', () => {
  test('on a terminal it prints the page\'s path, not the page', () => {
    const dir = copyExample({ git: true });
    // `script` gives the command a terminal for stdout (and stderr), as a user's shell does.
    const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI} report --format html --history 0`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    const path = join(dir, '.canon/report/consolidation.html');
    expect(r.stdout).not.toContain('<!doctype html>');
    expect(r.stdout.replace(/\r/g, '').split('\n')).toContain(path);
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>/);
  });

  test('--usage with no shim in place: the recorded use is shown', async () => {
    const dir = copyExample({ git: true });
    const log = join(dir, 'uses.jsonl');
    writeFileSync(log, JSON.stringify({ legacy: 'app.websocket_core.manager:WebSocketManager', canonical: 'app.websocket_core.websocket_manager:WebSocketManager', file: join(dir, 'x.py'), line: 3, pid: 1, time: 1 }) + '\n');
    const r = runCli(['report', '--format', 'html', '--history', '0', '--usage', 'uses.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    const page = await browser.newPage();
    await page.goto(`file://${join(dir, '.canon/report/consolidation.html')}`);
    expect(await page.locator('#fig-shims .n').innerText()).toBe('0');
    expect(await page.locator('#usage tbody tr td').allInnerTexts()).toEqual(['app.websocket_core.manager:WebSocketManager', 'app.websocket_core.websocket_manager:WebSocketManager', '1', '1', 'no']);
  });

  test('--usage with the markdown or json report: a usage error naming what does take it (it was ignored)', () => {
    const dir = copyExample({ git: true });
    for (const format of ['markdown', 'json']) {
      const r = runCli(['report', '--format', format, '--usage', '/nonexistent.log'], { cwd: dir });
      expect(r).toEqual({
        stdout: '',
        stderr: `error: --usage: only the html report shows shim usage (\`canon report --format html --usage LOG\`); for the ${format} report, \`canon usage LOG\` sums a log up\n`,
        code: 2,
      });
    }
  });

  test('writes a self-contained page with the burn-down from git history', async () => {
    const dir = copyExample({ git: true });
    // A second commit that fixes one legacy import by hand: the burn-down goes 22 -> 21.
    const file = join(dir, 'tests/mission_critical/test_services.py');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('from app.websocket_core.manager import get_websocket_manager', 'from app.websocket_core.websocket_manager import get_websocket_manager'));
    git(dir, 'commit', '-qam', 'use the canonical path');
    const r = runCli(['report', '--format', 'html', '--history', '5'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/consolidation\.html\n$/);
    const path = join(dir, '.canon/report/consolidation.html');
    expect(readFileSync(path, 'utf8')).toBe(r.stdout);
    const page = await browser.newPage();
    await page.goto(`file://${path}`);
    expect(await page.locator('#fig-violations .n').innerText()).toBe('21');
    const points = page.locator('#chart-burndown circle.point');
    expect(await points.count()).toBe(2);
    expect(await points.nth(0).getAttribute('data-value')).toBe('22');
    expect(await points.nth(1).getAttribute('data-value')).toBe('21');
    // Links lead from .canon/report/ back to the file in the project.
    expect(await page.locator('#findings tbody tr a').first().getAttribute('href')).toBe('../../app/agents/supervisor/agent_registry.py#L4');
  });
});

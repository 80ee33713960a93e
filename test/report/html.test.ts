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
import { copyExample, git, runCli } from '../helpers/project.js';
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
});

describe('canon report --format html', () => {
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

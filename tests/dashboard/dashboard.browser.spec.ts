/// <reference lib="dom" />
/**
 * The dashboard in a real browser: Debian's Chromium, headless, against the compiled API (as
 * `npm start` runs it) on a fresh database that loads the Xishan data set. It signs in with the
 * token in the URL fragment and with the paste box, shows the 11 projects and the charts, opens a
 * project and one figure's trace, and its screenshot is checked not to be blank.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { signToken } from '@fundtrail/auth';
import { createServerDatabase, type TestDatabase } from '../support/test-database';
import { API_MAIN, JWT_SECRET, PROJECT_IDS, ROOT } from '../seeds/support/xishan';

const CHROMIUM = '/usr/bin/chromium';
/** Root in CI: no sandbox; no GPU, no network besides the API, no first-run or update machinery. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

jest.setTimeout(180_000);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, withinMs: number, output: () => string): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not within ${withinMs} ms:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Distinct colours and the share of pixels that are not near-white in a PNG. */
function pictureStats(png: Buffer): { colours: number; inked: number } {
  const image = PNG.sync.read(png);
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 235 || g < 235 || b < 235) inked += 1;
  }
  return { colours: colours.size, inked: inked / (image.width * image.height) };
}

describe('the dashboard in headless Chromium', () => {
  let db: TestDatabase;
  let api: ChildProcess;
  let output = '';
  let base: string;
  let browser: BrowserContext;
  let profile: string;
  let shots: string;
  const token = signToken({ sub: 'dashboard-test', role: 'analyst' }, JWT_SECRET, '1h');
  const errors: string[] = [];
  const refused: string[] = [];
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run npm run build first`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    db = await createServerDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, FUNDTRAIL_JWT_SECRET: JWT_SECRET, PORT: String(port), LOG_LEVEL: 'info' };
    delete env.FUNDTRAIL_SEED_ON_EMPTY;
    api = spawn(process.execPath, [API_MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    api.stdout?.on('data', (chunk) => (output += chunk));
    api.stderr?.on('data', (chunk) => (output += chunk));
    // npm start loads the data set into the empty store; wait until all 11 projects are projected.
    await until(
      'the data set projected',
      async () => ((await get<{ total: number }>('/api/projects?pageSize=50')).total === PROJECT_IDS.length ? true : undefined),
      60_000,
      () => output,
    );
    profile = mkdtempSync(join(tmpdir(), 'fundtrail-chromium-'));
    shots = mkdtempSync(join(tmpdir(), 'fundtrail-shots-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    for (const dir of [profile, shots]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  it('signs in from the URL fragment, shows the headline figures, the 11 projects and the charts', async () => {
    const page = await open(`/dashboard#token=${token}`);
    await page.waitForSelector('body[data-state="ready"]');
    // The token left the address bar, and never reached the server (a fragment is not sent).
    expect(new URL(page.url()).hash).toBe('');
    expect(output).not.toContain(token);

    const rows = await page.$$eval('#projects tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.projectId));
    expect(rows.sort()).toEqual([...PROJECT_IDS].sort());
    const portfolio = await get<{ figures: { key: string; value: string }[] }>('/api/portfolio/figures');
    const received = portfolio.figures.find((f) => f.key === 'received_total')!.value;
    const grouped = `¥${received.split('.')[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${received.split('.')[1]}`;
    expect(await page.textContent('#headline [data-key="received_total"] .value')).toBe(grouped);

    // Each chart was drawn by Chart.js with data, and its canvas holds painted pixels.
    const drawn = await page.evaluate(() =>
      ['chart-by-source', 'chart-by-category', 'chart-by-project'].map((id) => {
        const canvas = document.getElementById(id) as HTMLCanvasElement;
        const chart = (
          window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { data: unknown[] }[] } } | undefined } }
        ).Chart.getChart(canvas);
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
        return { id, points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0, painted };
      }),
    );
    for (const chart of drawn) {
      expect(chart.points).toBeGreaterThan(0);
      expect(chart.painted).toBeGreaterThan(1000);
    }
    const sources = portfolio.figures.filter((f) => f.key.startsWith('received_by_source:') && f.value !== '0.00').length;
    expect(drawn[0].points).toBe(sources);
    await page.close();
  });

  it("shows the open warnings once the ledger has adopted the default monitoring rules, one line each, in the API's order", async () => {
    const officer = signToken({ sub: 'dashboard-officer', role: 'budget-officer' }, JWT_SECRET, '1h');
    const adopted = await fetch(`${base}/api/monitoring/rules/defaults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${officer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ effectiveDate: '2020-01-01' }),
    });
    expect(adopted.status).toBe(201);
    const openWarnings = await get<{ projectId: string; ruleId: string; raisedAsOf: string }[]>('/api/monitoring/warnings?status=open');
    const page = await open(`/dashboard#token=${token}`);
    await page.waitForSelector('#warnings:not([hidden])');
    const lines = await page.$$eval('#warning-list li', (items) => items.map((item) => item.textContent ?? ''));
    // Whatever today is, the 2023 sub-project acceptance (5 of 20) stays behind its finished fiscal year.
    expect(openWarnings.length).toBeGreaterThan(0);
    expect(lines.map((line) => line.split(' · ')[0])).toEqual(openWarnings.map((warning) => warning.projectId));
    expect(lines.every((line, index) => line.includes(openWarnings[index].ruleId) && line.includes(openWarnings[index].raisedAsOf))).toBe(true);
    await page.close();
  });

  it("opens a project (its running totals as a line chart) and a figure's trace one click away; the screenshot is not blank", async () => {
    const page = await open(`/dashboard#token=${token}`);
    await page.waitForSelector('body[data-state="ready"]');
    const projectId = 'xishan-main-city-drainage-overflow-control';
    await page.click(`#projects tr[data-project-id="${projectId}"]`);
    await page.waitForSelector('#project[data-state="ready"]');
    const series = await page.evaluate(() => {
      const chart = (
        window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { label: string; data: (number | null)[] }[] } } } }
      ).Chart.getChart(document.getElementById('chart-series') as HTMLCanvasElement);
      return chart.data.datasets.map((d) => ({ label: d.label, last: d.data[d.data.length - 1] }));
    });
    const figures = await get<{ figures: { key: string; value: string; label: { zh: string } }[] }>(`/api/projects/${projectId}/figures?pageSize=1000`);
    const receivedFigure = figures.figures.find((f) => f.key === 'received_total')!;
    const receivedLine = series.find((s) => s.label === receivedFigure.label.zh)!;
    // The line ends at the figure (万元 on the chart; the exact value is in the table and the trace).
    expect(receivedLine.last).toBeCloseTo(Number(receivedFigure.value) / 10_000, 6);

    await page.click('#figures tr[data-key="received_total"] button');
    await page.waitForSelector('#trace[data-state="ready"]');
    const trace = await get<{ total: number; matches: boolean }>(`/api/projects/${projectId}/figures/received_total/trace?pageSize=1000`);
    expect(await page.$$eval('#trace-terms tbody tr', (trs) => trs.length)).toBe(trace.total);
    expect(trace.matches).toBe(true);
    expect(await page.textContent('#trace-result .matches')).toMatch(/matches the read model/);

    await page.evaluate(() => window.scrollTo(0, 0));
    const file = join(shots, 'dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    const stats = pictureStats(readFileSync(file));
    expect(stats.colours).toBeGreaterThan(200);
    expect(stats.inked).toBeGreaterThan(0.1);
    // To refresh the README's picture: FUNDTRAIL_DASHBOARD_SCREENSHOT=docs/dashboard.png npx jest tests/dashboard
    if (process.env.FUNDTRAIL_DASHBOARD_SCREENSHOT) {
      await page.setViewportSize({ width: 1280, height: 1400 });
      await page.click(`#projects tr[data-project-id="${projectId}"]`);
      await page.waitForSelector('#project[data-state="ready"]');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, 'readme.png') });
      copyFileSync(join(shots, 'readme.png'), process.env.FUNDTRAIL_DASHBOARD_SCREENSHOT);
    }
    await page.close();
  });

  it('signs in with a pasted token; no local sign-in outside embedded mode; a bad token goes back to sign-in', async () => {
    const page = await open('/dashboard');
    await page.waitForSelector('body[data-state="signed-out"]');
    expect(await page.isVisible('#sign-in')).toBe(true);
    expect(await page.isHidden('#local-sign-in')).toBe(true);
    await page.fill('#token-input', token);
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.$$eval('#projects tbody tr', (trs) => trs.length)).toBe(PROJECT_IDS.length);
    await page.click('#sign-out');
    await page.waitForSelector('body[data-state="signed-out"]');
    await page.close();

    const forged = await open(`/dashboard#token=${signToken({ sub: 'x', role: 'analyst' }, 'another-secret-that-is-long-enough-0123456789')}`);
    await forged.waitForSelector('body[data-state="signed-out"]');
    expect(await forged.textContent('#sign-in-error')).toMatch(/not valid or has expired/);
    await forged.close();
  });

  it('ran under its Content-Security-Policy without a script error; the only refusals were feature probes and the forged token', () => {
    // The browser logs every 4xx answer as "Failed to load resource"; which ones they were is checked below.
    expect(errors.filter((e) => !/^Failed to load resource: the server responded with a status of 40[14]/.test(e))).toEqual([]);
    const unexpected = refused.filter(
      (r) => !/^404 \/api\/projects\/[a-z0-9-]+\/series$/.test(r) && r !== '404 /api/monitoring/warnings' && !/^401 \/api\//.test(r),
    );
    expect(unexpected).toEqual([]);
    expect(refused.some((r) => r.startsWith('401 '))).toBe(true);
  });
});

import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * `npm run build`'s last step: the dashboard's page, script and style, and Chart.js' browser
 * build, next to the compiled dashboard controller. The machines that run the API are offline,
 * so the chart library is served by the API itself, never from a CDN.
 */
const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const SOURCE = join(ROOT, 'apps', 'api', 'src', 'dashboard', 'assets');
const TARGET = join(__dirname, 'assets');
export const CHART_BUNDLE = 'chart.umd.min.js';

mkdirSync(TARGET, { recursive: true });
for (const file of readdirSync(SOURCE)) copyFileSync(join(SOURCE, file), join(TARGET, file));
// chart.js exports no subpaths: its CommonJS entry names the dist folder that holds the UMD build.
copyFileSync(join(dirname(require.resolve('chart.js')), CHART_BUNDLE), join(TARGET, CHART_BUNDLE));

// Throughput of the whole preprocessing (no cache) on the raw Online Retail II log:
//   npx tsx bench/prepare.ts [path/to/online_retail_ii_2009_2010.csv.gz]
// Prints rows/s, wall seconds and peak RSS. Target: <= 2.5 s on the 525,461-row file.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { buildPreparedData } from '../src/data/build-prepared.js';
import { silentProgress } from '../src/util/progress.js';

const defaultPath = fileURLToPath(new URL('../../shared/data/online-retail-ii/online_retail_ii_2009_2010.csv.gz', import.meta.url));
const path = process.argv[2] ?? defaultPath;

if (!existsSync(path)) {
  console.log(`bench/prepare: ${path} not found; skipped (pass the raw Online Retail II file as the argument)`);
} else {
  const { data: cfg } = await loadConfig(fileURLToPath(new URL('../configs/online-retail-full.yaml', import.meta.url)), { dataPath: path });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const data = await buildPreparedData(cfg, silentProgress);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const rows = data.dropped['rows read'] ?? 0;
  console.log(`rows: ${rows.toLocaleString('en-US')}  train events: ${data.train.items.length.toLocaleString('en-US')}`);
  console.log(`wall: ${seconds.toFixed(2)} s  rows/s: ${Math.round(rows / seconds).toLocaleString('en-US')}  peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

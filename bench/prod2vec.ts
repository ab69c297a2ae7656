/**
 * prod2vec / Meta-Prod2vec on the Online Retail II split of the reference results: training
 * speed (words/s by wall clock and per CPU second, since the benchmark machine is shared) and
 * the embedding-quality table, next to the reference figures (gensim 4.2, one thread).
 * Run: npx tsx bench/prod2vec.ts   (reads ../shared/data; says so and exits 0 when absent)
 */
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { prepareData } from '../src/data/prepare.js';
import { evaluateEmbeddings, formatEmbeddingReport, type EmbeddingVariant } from '../src/embeddings/embedding-report.js';
import { readItemMetadata } from '../src/embeddings/metadata.js';
import { trainMetaProd2vec } from '../src/embeddings/metaprod2vec.js';
import { buildTokenVocab, itemOnlyVocab } from '../src/embeddings/vocab.js';
import { silentProgress } from '../src/util/progress.js';
import { Rng } from '../src/util/rng.js';

const CONFIG = fileURLToPath(new URL('../configs/prod2vec-online-retail.yaml', import.meta.url));
const RAW = fileURLToPath(new URL('../../shared/data/online-retail-ii/online_retail_ii_2009_2010.csv.gz', import.meta.url));

const REFERENCE = `Reference (gensim 4.2 word2vec, one worker, same split and pairs):
| model | Hit@10 | NDCG@10 | Hit@20 | NDCG@20 | training words/s |
|---|---|---|---|---|---|
| prod2vec (gensim) 50 / 3 / 5 / 10 | .2883 | .1796 | .3419 | .1932 | ~760,000 |
| co-occurrence counts, window 3 | .3523 | | .4122 | | |`;

async function main(): Promise<void> {
  if (!(await access(RAW).then(() => true, () => false))) {
    process.stdout.write(`bench/prod2vec: ${RAW} is absent; nothing to measure.\n`);
    return;
  }
  const config = await loadConfig(CONFIG, { dataPath: RAW });
  const p2v = config.prod2vec;
  if (p2v?.metadata === undefined) throw new Error(`${CONFIG} has no prod2vec.metadata`);
  const { data } = await prepareData(config.data, { progress: silentProgress });
  const metaVocab = buildTokenVocab(data.items, await readItemMetadata({ ...p2v.metadata, path: RAW }));
  const rng = new Rng(config.experiment.seed).fork('prod2vec');
  const variants: EmbeddingVariant[] = [];
  const speed: string[] = ['| variant | wall s | CPU s | words/s (wall) | words/s (per CPU s) | pairs/s (per CPU s) |', '|---|---|---|---|---|---|'];
  for (const name of p2v.variants) {
    const isMeta = name === 'meta-prod2vec';
    const cpu0 = process.cpuUsage();
    const trained = trainMetaProd2vec({
      train: data.train,
      vocab: isMeta ? metaVocab : itemOnlyVocab(data.items),
      settings: p2v,
      lambdas: isMeta ? p2v.lambdas : { mi: 0, jm: 0, mm: 0, im: 0 },
      rng,
      progress: silentProgress,
      label: name,
    });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const s = trained.stats;
    const n = (x: number): string => Math.round(x).toLocaleString('en-US');
    speed.push(`| ${name} | ${s.seconds.toFixed(1)} | ${cpuSeconds.toFixed(1)} | ${n(s.wordsPerSecond)} | ${n(s.words / cpuSeconds)} | ${n(s.pairs / cpuSeconds)} |`);
    variants.push({ name, vectors: trained.vectors, dim: trained.dim, stats: s });
  }
  const report = evaluateEmbeddings({ train: data.train, test: data.test, nItems: data.items.ids.length, window: p2v.window, eval: p2v.eval, variants });
  const out = [
    `Online Retail II split: ${data.train.items.length.toLocaleString('en-US')} training events, ${data.items.ids.length} items; ` +
      `dim ${p2v.dim}, window ${p2v.window}, ${p2v.negatives} negatives, ${p2v.epochs} epochs, subsample ${p2v.subsample}; ` +
      `metadata: ${metaVocab.fields.map((f) => `${f.name} (${f.values.length} values)`).join(', ')}, ${metaVocab.itemsWithoutMetadata.length} items without.`,
    '',
    formatEmbeddingReport(report, p2v.eval.cutoffs),
    '',
    'Training speed (words = training events read per epoch, as gensim\'s raw words):',
    ...speed,
    '',
    REFERENCE,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { prod2vecSchema, type Prod2vecConfig, type Prod2vecVariant } from '../config/embeddings-schema.js';
import type { ExperimentConfig } from '../config/schema.js';
import { prepareData } from '../data/prepare.js';
import type { ItemIndex, PreparedData } from '../data/types.js';
import { buildManifest, type InputFile } from '../report/manifest.js';
import { RunWriter } from '../report/run-dir.js';
import { UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { Rng } from '../util/rng.js';
import { saveEmbeddings } from './embedding-io.js';
import { evaluateEmbeddings, formatEmbeddingReport, type EmbeddingReport, type EmbeddingVariant } from './embedding-report.js';
import { readItemMetadata } from './metadata.js';
import { trainMetaProd2vec } from './metaprod2vec.js';
import { buildTokenVocab, itemOnlyVocab, type TokenVocab } from './vocab.js';

export interface Prod2vecRunResult {
  runDir: string;
  report: EmbeddingReport;
  markdown: string;
}

/**
 * `hrnn prod2vec`: prepare the data, read the metadata, train each configured variant on the
 * training split, save the embeddings aligned with the ItemIndex, evaluate them next to the
 * baselines on the test split and write the run folder.
 */
export async function runProd2vec(config: ExperimentConfig, options: { progress: Progress; command: string }): Promise<Prod2vecRunResult> {
  const p2v = config.prod2vec ?? prod2vecSchema.parse({});
  const { progress } = options;
  if (p2v.variants.includes('meta-prod2vec') && p2v.metadata === undefined) {
    throw new UserError('the meta-prod2vec variant needs item metadata', {
      where: 'prod2vec.metadata',
      kind: 'usage',
      hint: 'add prod2vec.metadata {path, itemColumn, fields}, or set prod2vec.variants to [prod2vec]',
    });
  }
  const prepared = await prepareData(config.data, { progress });
  const { items, train, test } = prepared.data;
  const metaVocab = await metadataVocab(p2v, items, progress);
  const run = await RunWriter.create(config.experiment.outDir, config.experiment.name);
  await run.writeJson('config.resolved.json', config);
  const rng = new Rng(config.experiment.seed).fork('prod2vec');
  const variants = await trainVariants({ p2v, data: prepared.data, metaVocab, rng, progress, run });
  const report = evaluateEmbeddings({ train, test, nItems: items.ids.length, window: p2v.window, eval: p2v.eval, variants });
  const metadata = metaVocab ? metadataSummary(metaVocab, items) : null;
  const markdown = [metadata?.line, formatEmbeddingReport(report, p2v.eval.cutoffs)].filter(Boolean).join('\n\n');
  await run.writeJson('metrics.json', { ...report, metadata: metadata?.json ?? null });
  await run.writeText('metrics.md', `${markdown}\n`);
  const manifest = await buildManifest({
    command: options.command,
    seed: config.experiment.seed,
    inputs: [prepared.input, ...(p2v.metadata && p2v.metadata.path !== prepared.input.path ? [await digest(p2v.metadata.path)] : [])],
    dropped: prepared.data.dropped,
    extra: { itemsWithoutMetadata: metaVocab?.itemsWithoutMetadata.length ?? null, preparedCacheKey: prepared.cacheKey },
  });
  await run.writeJson('manifest.json', manifest);
  return { runDir: await run.finish(), report, markdown };
}

interface VariantsInput {
  p2v: Prod2vecConfig;
  data: PreparedData;
  metaVocab: TokenVocab | undefined;
  rng: Rng;
  progress: Progress;
  run: RunWriter;
}

/** Train and save each configured variant. */
async function trainVariants({ p2v, data, metaVocab, rng, progress, run }: VariantsInput): Promise<EmbeddingVariant[]> {
  const { items, train } = data;
  const variants: EmbeddingVariant[] = [];
  for (const name of p2v.variants) {
    const vocab = name === 'meta-prod2vec' && metaVocab ? metaVocab : itemOnlyVocab(items);
    const lambdas = name === 'meta-prod2vec' ? p2v.lambdas : { mi: 0, jm: 0, mm: 0, im: 0 };
    // Every variant gets the same streams, so they differ only by the metadata terms.
    const trained = trainMetaProd2vec({ train, vocab, settings: p2v, lambdas, rng, progress, label: name });
    progress.info(`${name}: ${Math.round(trained.stats.wordsPerSecond).toLocaleString('en-US')} words/s, ${trained.stats.seconds.toFixed(1)} s`);
    const missing = untrainedItems(train.items, items);
    const files = { name, vocab, items, vectors: trained.vectors, dim: trained.dim, missing };
    await saveVariant(run.path(`embeddings-${name}`), files);
    if (p2v.exportDir !== undefined) {
      await mkdir(p2v.exportDir, { recursive: true });
      await saveVariant(join(p2v.exportDir, name), files);
      progress.info(`${name}: exported to ${join(p2v.exportDir, name)}.f32/.json`);
    }
    variants.push({ name, vectors: trained.vectors, dim: trained.dim, stats: trained.stats });
  }
  return variants;
}

async function metadataVocab(p2v: Prod2vecConfig, items: ItemIndex, progress: Progress): Promise<TokenVocab | undefined> {
  if (p2v.metadata === undefined || !p2v.variants.includes('meta-prod2vec')) return undefined;
  const vocab = buildTokenVocab(items, await readItemMetadata(p2v.metadata));
  progress.info(metadataSummary(vocab, items).line);
  return vocab;
}

function metadataSummary(vocab: TokenVocab, items: ItemIndex): { line: string; json: Record<string, unknown> } {
  const sizes = vocab.fields.map((f) => `${f.name}: ${f.values.length} values`).join(', ');
  const line = `Metadata: ${sizes}; ${vocab.itemsWithoutMetadata.length} of ${items.ids.length} items have none.`;
  const json = {
    fields: vocab.fields.map((f) => ({ name: f.name, values: f.values.length })),
    itemsWithoutMetadata: vocab.itemsWithoutMetadata.length,
  };
  return { line, json };
}

/** Items with no training event: their rows are still the random init. */
function untrainedItems(trainItems: Int32Array, items: ItemIndex): string[] {
  const seen = new Uint8Array(items.ids.length);
  for (const item of trainItems) seen[item] = 1;
  return items.ids.filter((_, i) => seen[i] !== 1);
}

interface VariantFiles {
  name: Prod2vecVariant;
  vocab: TokenVocab;
  items: ItemIndex;
  vectors: Float32Array;
  dim: number;
  missing: string[];
}

async function saveVariant(base: string, { name, vocab, items, vectors, dim, missing }: VariantFiles): Promise<void> {
  await saveEmbeddings(base, {
    vectors,
    header: {
      dim,
      itemIds: [...items.ids],
      itemsWithoutVector: missing,
      metadata: vocab.fields.map((f) => ({ name: f.name, values: [...f.values] })),
      info: { variant: name, itemsWithoutMetadata: vocab.itemsWithoutMetadata },
    },
  });
}

async function digest(path: string): Promise<InputFile> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path, sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

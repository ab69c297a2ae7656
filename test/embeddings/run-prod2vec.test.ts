import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadEmbeddings } from '../../src/embeddings/embedding-io.js';
import { runProd2vec } from '../../src/embeddings/run-prod2vec.js';
import { silentProgress } from '../../src/util/progress.js';
import { itemIndex } from './helpers.js';

/** 6 users x 3 sessions over items a..f; the last session of each user is the test session. */
async function fixture(dir: string): Promise<{ events: string; items: string }> {
  const rows = ['user_id,session_id,item_id,timestamp'];
  const baskets = [['a', 'b', 'c'], ['b', 'c', 'd'], ['d', 'e', 'f'], ['a', 'c', 'e']];
  let t = 1_000_000;
  for (let u = 0; u < 6; u++) {
    for (let s = 0; s < 3; s++) {
      for (const item of baskets[(u + s) % 4]!) rows.push(`${u},${u}-${s},${item},${(t += 60)}`);
      t += 86_400;
    }
  }
  const events = join(dir, 'events.csv');
  const items = join(dir, 'items.csv');
  await writeFile(events, `${rows.join('\n')}\n`);
  await writeFile(items, 'item_id,description\na,RED CAKE TINS\nb,CAKE TIN\nc,TEA CUPS\nd,CUP\ne,JUMBO BAG\n');
  return { events, items };
}

describe('runProd2vec', () => {
  it('writes a complete run folder whose embeddings load against the prepared item index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'p2v-'));
    const { events, items } = await fixture(dir);
    const config = parseConfig({
      experiment: { name: 'p2v', outDir: join(dir, 'runs') },
      data: {
        path: events,
        columns: { user: 'user_id', session: 'session_id', item: 'item_id', time: 'timestamp' },
        minItemSupport: 1, minSessionLength: 2, minSessionsPerUser: 2, cacheDir: join(dir, 'cache'),
      },
      models: [{ type: 'pop' }],
      prod2vec: { dim: 4, epochs: 2, subsample: 0, metadata: { path: items, itemColumn: 'item_id', fields: [{ column: 'description', derive: 'lastWord' }] } },
    });
    const result = await runProd2vec(config, { progress: silentProgress, command: 'test' });
    expect((await readdir(result.runDir)).sort()).toEqual([
      'config.resolved.json', 'embeddings-meta-prod2vec.f32', 'embeddings-meta-prod2vec.json',
      'embeddings-prod2vec.f32', 'embeddings-prod2vec.json', 'manifest.json', 'metrics.json', 'metrics.md',
    ]);
    const header = JSON.parse(await readFile(join(result.runDir, 'embeddings-meta-prod2vec.json'), 'utf8')) as { itemIds: string[] };
    // Metadata TIN (a, b), CUP (c, d), BAG (e); f has no metadata.
    const loaded = await loadEmbeddings(join(result.runDir, 'embeddings-meta-prod2vec'), itemIndex(header.itemIds), 4);
    expect(loaded.header.metadata).toEqual([{ name: 'description', values: expect.arrayContaining(['TIN', 'CUP', 'BAG']) }]);
    expect(loaded.header.metadata[0]?.values).toHaveLength(3);
    expect(loaded.header.info?.itemsWithoutMetadata).toEqual(['f']);
    expect(result.report.methods.map((m) => m.method)).toEqual([
      'popularity', 'co-occurrence (window 3)', 'prod2vec', 'mix(prod2vec, co-occurrence; w 0.5)',
      'meta-prod2vec', 'mix(meta-prod2vec, co-occurrence; w 0.5)',
    ]);
    expect(result.markdown).toMatch(/\| meta-prod2vec \| [.\d]+ \|/);
  });

  it('refuses the meta-prod2vec variant without metadata, naming the key', async () => {
    const config = parseConfig({
      data: { path: 'x.csv', columns: { user: 'u', item: 'i', time: 't' } },
      models: [{ type: 'pop' }],
      prod2vec: {},
    });
    await expect(runProd2vec(config, { progress: silentProgress, command: 'test' })).rejects.toThrow(/meta-prod2vec variant needs item metadata/);
  });
});

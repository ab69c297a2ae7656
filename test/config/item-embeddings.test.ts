import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

async function writeConfig(models: string, extra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hrnn-config-emb-'));
  const file = join(dir, 'exp.yaml');
  await writeFile(file, `data:\n  path: events.csv\n  columns: { user: u, session: s, item: i, time: t }\nmodels:\n${models}${extra}`);
  return file;
}

describe('itemEmbeddings in the config', () => {
  it('resolves every model\'s itemEmbeddings.path and prod2vec.exportDir against the config folder', async () => {
    const file = await writeConfig(
      [
        '  - type: pop',
        '  - { type: gru4rec, embedding: separate, itemEmbeddings: { path: emb/p2v, mode: init } }',
        '  - { type: hrnn, itemEmbeddings: { path: /abs/mp2v, mode: concat } }',
        '',
      ].join('\n'),
      'prod2vec:\n  exportDir: ../out/emb\n',
    );
    const cfg = await loadConfig(file);
    const paths = cfg.models.map((m) => ('itemEmbeddings' in m ? m.itemEmbeddings?.path : undefined));
    expect(paths).toEqual([undefined, join(file, '..', 'emb', 'p2v'), '/abs/mp2v']);
    expect(cfg.models[1]).toMatchObject({ itemEmbeddings: { mode: 'init', projection: false } });
    expect(cfg.prod2vec?.exportDir).toBe(join(file, '..', '..', 'out', 'emb'));
  });

  it('names the model of an impossible combination (onehot + init, concat + projection)', async () => {
    const file = await writeConfig(
      [
        '  - { type: hrnn, embedding: onehot, itemEmbeddings: { path: a, mode: init } }',
        '  - { type: gru4rec, name: g, itemEmbeddings: { path: a, mode: concat, projection: true } }',
        '',
      ].join('\n'),
    );
    await expect(loadConfig(file)).rejects.toThrow(/models\.0\.itemEmbeddings: mode init needs an input embedding[^\n]*\n\s*models\.1\.itemEmbeddings: projection has no effect/);
  });

  it('rejects an unknown mode with its line', async () => {
    const file = await writeConfig('  - { type: gru4rec, itemEmbeddings: { path: a, mode: warm } }\n');
    await expect(loadConfig(file)).rejects.toThrow(/exp\.yaml:\d+ models\.0\.itemEmbeddings\.mode/);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataValues, productTypeWord, readItemMetadata } from '../../src/embeddings/metadata.js';
import { buildTokenVocab } from '../../src/embeddings/vocab.js';
import { itemIndex } from './helpers.js';

describe('productTypeWord (derive: lastWord)', () => {
  it('keeps the last word that is not a size/colour/pack word, without a plural S', () => {
    expect(productTypeWord('SET OF 3 CAKE TINS PINK')).toBe('TIN');
    expect(productTypeWord(' WHITE CHERRY LIGHTS')).toBe('LIGHT');
    expect(productTypeWord('RECORD FRAME 7" SINGLE SIZE ')).toBe('FRAME');
    expect(productTypeWord('LUNCH BAG RED RETROSPOT')).toBe('BAG');
    expect(productTypeWord('GLASS')).toBe('GLASS');
    expect(productTypeWord('15CM RED')).toBe('');
    expect(productTypeWord('12 PINK')).toBe('');
  });
});

describe('metadataValues', () => {
  it('splits, trims, drops empty and repeated values', () => {
    expect(metadataValues('Action|Comedy| |Action', { column: 'genres', split: '|' })).toEqual(['Action', 'Comedy']);
    expect(metadataValues('PINK CAKE TINS|BLUE CAKE TIN', { column: 'd', split: '|', derive: 'lastWord' })).toEqual(['TIN']);
  });
});

describe('readItemMetadata', () => {
  it('reads the first row of each item, interns values per field and lists items without metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meta-'));
    const path = join(dir, 'movies.csv');
    await writeFile(path, 'movieId,title,genres\n1,Toy Story,Animation|Comedy\n2,Heat,Action\n1,dup,Drama\n3,Nothing,\n');
    const meta = await readItemMetadata({ path, header: true, itemColumn: 'movieId', fields: [{ column: 'genres', split: '|' }] });
    expect(meta.values.get('1')).toEqual([['Animation', 'Comedy']]);
    const vocab = buildTokenVocab(itemIndex(['2', '1', '3', '9']), meta);
    // field values in first-seen order over the ItemIndex: Action (item 2), Animation, Comedy
    expect(vocab.fields).toEqual([{ name: 'genres', firstToken: 4, values: ['Action', 'Animation', 'Comedy'] }]);
    expect(Array.from(vocab.metaOffsets)).toEqual([0, 1, 3, 3, 3]);
    expect(Array.from(vocab.metaTokens)).toEqual([4, 5, 6]);
    expect(Array.from(vocab.tokenType)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(vocab.itemsWithoutMetadata).toEqual(['3', '9']);
  });

  it('names a missing column and the config key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meta-'));
    const path = join(dir, 'items.csv');
    await writeFile(path, 'item_id,description\n1,x\n');
    await expect(
      readItemMetadata({ path, header: true, itemColumn: 'item_id', fields: [{ column: 'Description' }] }),
    ).rejects.toThrow(/column "Description" not found/);
  });
});

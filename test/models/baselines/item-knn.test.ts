import { describe, expect, it } from 'vitest';
import { ItemKnn, itemSimilarities, type ItemKnnConfig } from '../../../src/models/baselines/item-knn.js';
import type { WeightedRows } from '../../../src/models/baselines/weighted-rows.js';
import { fitTiny, makeBatch, N_ITEMS, tinyLog } from './helpers.js';

const config = (over: Partial<ItemKnnConfig>): ItemKnnConfig => ({ type: 'itemknn', neighbors: 100, lambda: 2, alpha: 0.5, ...over });

function row(rows: WeightedRows, i: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = rows.offsets[i] ?? 0; k < (rows.offsets[i + 1] ?? 0); k++) out.push([rows.cols[k] ?? -1, rows.weights[k] ?? NaN]);
  return out;
}

const close = (pairs: [number, number][]): unknown[] => pairs.map(([j, w]) => [j, expect.closeTo(w, 5)]);

/*
 * Sessions s0 [0,1,2], s1 [1,2,3], s2 [0,2], s3 [3,4,1]. supp: 0:2 1:3 2:3 3:2 4:1.
 * Co-occurring sessions: co(0,1)=1 co(0,2)=2 co(1,2)=2 co(1,3)=2 co(1,4)=1 co(2,3)=1 co(3,4)=1.
 * lambda 2, alpha 0.5: sim = co / sqrt((supp_i+2)(supp_j+2)), supp+2 = 4, 5, 5, 4, 3.
 *   row 1: j=3 2/sqrt(20)=0.44721  j=2 2/sqrt(25)=0.4  j=4 1/sqrt(15)=0.25820  j=0 1/sqrt(20)=0.22361
 *   row 0: j=2 2/sqrt(20)=0.44721  j=1 1/sqrt(20)=0.22361
 *   row 4: j=1 1/sqrt(15)=0.25820  j=3 1/sqrt(12)=0.28868
 */
describe('Item-KNN similarities', () => {
  it('computes the regularised cosine, strongest first', () => {
    const sims = itemSimilarities(tinyLog(), N_ITEMS, config({}));
    expect(row(sims, 1)).toEqual(close([[3, 0.44721], [2, 0.4], [4, 0.2582], [0, 0.22361]]));
    expect(row(sims, 0)).toEqual(close([[2, 0.44721], [1, 0.22361]]));
    expect(row(sims, 4)).toEqual(close([[3, 0.28868], [1, 0.2582]]));
  });

  it('keeps only the top `neighbors` per item', () => {
    const sims = itemSimilarities(tinyLog(), N_ITEMS, config({ neighbors: 2 }));
    expect(row(sims, 1)).toEqual(close([[3, 0.44721], [2, 0.4]]));
    expect(sims.offsets[N_ITEMS]).toBe(2 * N_ITEMS);
  });

  it('uses alpha asymmetrically and breaks ties by the lower item index', () => {
    // alpha 1: sim = co / (supp_i + 2): row 1: j=2 2/5, j=3 2/5 (tie), j=0 1/5, j=4 1/5
    const sims = itemSimilarities(tinyLog(), N_ITEMS, config({ alpha: 1, neighbors: 1 }));
    expect(row(sims, 1)).toEqual(close([[2, 0.4]]));
    // alpha 0: sim = co / (supp_j + 2): row 4: j=1 1/5, j=3 1/4
    const sims0 = itemSimilarities(tinyLog(), N_ITEMS, config({ alpha: 0 }));
    expect(row(sims0, 4)).toEqual(close([[3, 0.25], [1, 0.2]]));
  });
});

describe('Item-KNN predictor', () => {
  it('scores the neighbours of each row\'s input item and 0 elsewhere', async () => {
    const predictor = await fitTiny(new ItemKnn(config({ neighbors: 2 }), N_ITEMS));
    const scores = Array.from((await predictor.step(makeBatch([1, 0], [1, 1]), true)) ?? []);
    expect(scores).toEqual([0, 0, 0.4, 0.44721, 0, 0, 0.22361, 0.44721, 0, 0].map((x) => expect.closeTo(x, 5)));
  });
});

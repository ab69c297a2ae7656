import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult } from '../../src/eval/evaluate.js';
import { computeMetrics } from '../../src/eval/metrics.js';
import { readRanksFile, writeRanksFile } from '../../src/eval/ranks-file.js';

const options = { cutoffs: [1, 2, 5], legacyCutoffLt: false };
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hrnn-ranks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ranks = Float64Array.from([1, 2.5, 7, 1, 3]);
const result: EvalResult = {
  model: 'm',
  nEvaluated: 5,
  ranks,
  tied: Uint8Array.from([0, 1, 0, 0, 0]),
  userIndex: Int32Array.from([0, 0, 1, 1, 1]),
  sessionIndex: Int32Array.from([0, 0, 1, 1, 2]),
  position: Int32Array.from([2, 3, 2, 3, 2]),
  targetItem: Int32Array.from([2, 0, 1, 2, 1]),
  targetScore: Float32Array.from([0.1, 0.30000001192092896, -2.5, NaN, 1e-8]),
  historyLength: Int32Array.from([0, 0, 3, 3, 3]),
  coverage: {},
  metrics: computeMetrics(ranks, options),
  seconds: 1,
  eventsPerSecond: 5,
};
const ids = { itemIds: ['i0', 'item,1', 'i"2'], userIds: ['alice', 'bob'], sessionIds: ['s0', 's1', 's2'] };

describe('ranks files', () => {
  it('round-trips ids, positions, ranks, scores and metrics', async () => {
    const path = join(dir, 'ranks-m.csv');
    await writeRanksFile(path, result, ids);
    const text = await readFile(path, 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual(['user,session,position,item,rank,score', 'alice,s0,2,"i""2",1,0.100000001', 'alice,s0,3,i0,2.5,0.300000012']);
    const back = await readRanksFile(path, { ...options, model: 'm' });
    expect(back.result.metrics).toEqual(result.metrics);
    expect([...back.result.ranks]).toEqual([...ranks]);
    expect([...back.result.position]).toEqual([...result.position]);
    expect([...back.result.targetScore]).toEqual([...result.targetScore]);
    expect([...back.result.targetItem]).toEqual([0, 1, 2, 0, 2]); // dense by first appearance
    expect(back.itemIds).toEqual(['i"2', 'i0', 'item,1']);
    expect(back.userIds).toEqual(['alice', 'bob']);
    expect(back.result.tied).toBeNull();
    expect(back.result.historyLength).toBeNull();
  });

  it('accepts a file without scores', async () => {
    const path = join(dir, 'no-score.csv');
    await writeFile(path, 'user,session,position,item,rank\nu,s,2,a,4\n');
    const back = await readRanksFile(path, { cutoffs: [5], legacyCutoffLt: false, model: 'x' });
    expect(back.result.metrics['mrr@5']).toBe(0.25);
    expect(Number.isNaN(back.result.targetScore[0])).toBe(true);
  });

  it('reports bad input with file and line', async () => {
    const bad = async (name: string, text: string): Promise<unknown> => {
      const path = join(dir, name);
      await writeFile(path, text);
      return readRanksFile(path, { ...options, model: 'x' });
    };
    await expect(bad('h.csv', 'user,session,item,rank\n')).rejects.toThrow(/header must be user,session,position,item,rank,score/);
    await expect(bad('r.csv', 'user,session,position,item,rank\nu,s,2,a,1\nu,s,3,a,zero\n')).rejects.toThrow(/rank must be a number >= 1, found "zero"/);
    await expect(bad('p.csv', 'user,session,position,item,rank\nu,s,0,a,1\n')).rejects.toThrow(/position must be an integer >= 1/);
    await expect(bad('n.csv', 'user,session,position,item,rank\nu,s,2,a\n')).rejects.toThrow(/expected 5 fields, found 4/);
    await expect(bad('q.csv', 'user,session,position,item,rank\n"u,s,2,a,1\n')).rejects.toThrow(/not a valid CSV file/);
    await expect(bad('e.csv', '')).rejects.toThrow(/empty/);
    await expect(readRanksFile(join(dir, 'missing.csv'), { ...options, model: 'x' })).rejects.toThrow(/not found/);
    const err = await bad('l.csv', 'user,session,position,item,rank\nu,s,2,a,1\n\nu,s,3,a,-1\n').catch((e: unknown) => e);
    expect(err).toMatchObject({ where: `${join(dir, 'l.csv')}:4` });
  });
});

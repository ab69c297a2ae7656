import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scoreCommand } from '../../../src/cli/commands/score.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hrnn-score-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const opts = { cutoffs: '1,3', legacyCutoffLt: false, bootstrap: '200', seed: '1' };

describe('scoreCommand', () => {
  it('prints every metric with CIs from a ranks file', async () => {
    const path = join(dir, 'ranks-other.csv');
    // ranks 1, 2, 4, 1: recall@1 2/4, recall@3 3/4, mrr@3 (1 + 1/2 + 1)/4 = .625
    await writeFile(path, 'user,session,position,item,rank,score\nu,s1,2,a,1,.9\nu,s1,3,b,2,.5\nv,s2,2,c,4,.1\nv,s2,3,a,1,.7\n');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    await scoreCommand(path, opts);
    const text = out.join('');
    expect(text).toContain('Ties: from file');
    expect(text).toMatch(/\| ranks-other \| \.5000 \[[.\d]+, [.\d]+\] \| \.5000 \[/);
    expect(text).toMatch(/\| \.7500 \[[.\d]+, [.\d]+\] \| \.6250 \[/);
    expect(text).toContain('ties cannot be recomputed');
  });

  it('rejects bad options', async () => {
    await expect(scoreCommand('x.csv', { ...opts, cutoffs: '5,x' })).rejects.toThrow(/--cutoffs must be positive integers/);
    await expect(scoreCommand('x.csv', { ...opts, bootstrap: '-1' })).rejects.toThrow(/--bootstrap must be an integer >= 0/);
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunWriter } from '../../src/report/run-dir.js';

describe('RunWriter', () => {
  const now = new Date('2026-12-04T18:59:02.123Z');

  it('names the folder by UTC time and run name, .partial until finished', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hrnn-runs-'));
    const run = await RunWriter.create(out, 'demo', now);
    expect(basename(run.dir)).toBe('20261204-185902Z-demo.partial');
    await run.writeJson('metrics.json', { a: 1 });
    const finalDir = await run.finish();
    expect(basename(finalDir)).toBe('20261204-185902Z-demo');
    expect(existsSync(join(finalDir, 'metrics.json'))).toBe(true);
  });

  it('gives runs started in the same second distinct folders, also when the first has finished', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hrnn-runs-'));
    const [a, b] = await Promise.all([RunWriter.create(out, 'seed', now), RunWriter.create(out, 'seed', now)]);
    expect(new Set([a?.dir, b?.dir]).size).toBe(2);
    await a?.finish();
    const c = await RunWriter.create(out, 'seed', now);
    expect(basename(c.dir)).toBe('20261204-185902Z-seed-3.partial');
  });
});

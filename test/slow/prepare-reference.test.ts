import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { buildPreparedData } from '../../src/data/build-prepared.js';
import { silentProgress } from '../../src/util/progress.js';

// The full logs are not in the repository (size, licences): these run where they are present.
const config = (name: string): string => fileURLToPath(new URL(`../../configs/${name}`, import.meta.url));
const shared = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

describe.skipIf(!existsSync(`${shared}online-retail-ii/online_retail_ii_2009_2010.csv.gz`))('Online Retail II, full log', () => {
  it('reproduces the reference split table exactly', async () => {
    const { data: cfg } = await loadConfig(config('online-retail-full.yaml'));
    const { stats } = await buildPreparedData(cfg, silentProgress);
    // reference-results.md, "The split"
    expect(stats.sessionized).toMatchObject({ events: 406_323, users: 4_285, sessions: 17_196, items: 4_006 });
    expect(stats.filtered).toMatchObject({ events: 232_861, users: 961, sessions: 9_701, items: 2_534 });
    expect(stats.train).toMatchObject({ events: 210_677, users: 961, sessions: 8_740, items: 2_534 });
    expect(stats.test).toMatchObject({ events: 22_184, users: 961, sessions: 961, items: 2_020 });
  });
});

describe.skipIf(!existsSync(`${shared}yoochoose-100k/yoochoose-clicks-100k_test.txt`))('YOOCHOOSE 100k', () => {
  it('reads the given train/test files; the validation split equals the shipped train_tr / train_valid', async () => {
    const { data: cfg } = await loadConfig(config('yoochoose-100k.yaml'));
    const { stats } = await buildPreparedData(cfg, silentProgress);
    expect(stats.train).toMatchObject({ events: 70_278, sessions: 17_794, items: 2_933 });
    expect(stats.test).toMatchObject({ events: 13_568, sessions: 3_416 });
    // row / distinct-session / distinct-item counts of yoochoose-clicks-100k_train_tr.txt and _train_valid.txt
    expect(stats.validTrain).toMatchObject({ events: 53_254, sessions: 13_629, items: 2_873 });
    expect(stats.validTest).toMatchObject({ events: 16_539, sessions: 4_084, items: 2_029 });
  });
});

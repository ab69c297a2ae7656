import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dataSchema, type DataConfig } from '../../src/config/data-schema.js';
import { buildPreparedData } from '../../src/data/build-prepared.js';
import { prepareData } from '../../src/data/prepare.js';
import { loadPreparedDir, savePreparedDir } from '../../src/data/prepared-cache.js';
import type { PreparedData } from '../../src/data/types.js';
import { silentProgress } from '../../src/util/progress.js';
import { nested, tempDir, userErrorText, writeText } from './helpers.js';

const demoPath = fileURLToPath(new URL('../../datasets/online-retail-demo/events.csv', import.meta.url));

/** A tiny log: 2 users x 3 gap-sessions, item "x" unseen in train, one repeat. */
const TINY = [
  'user,item,ts',
  'ann,a,0', 'ann,b,10', 'ann,a,20', // session 1 (repeat of a)
  'ann,a,5000', 'ann,c,5010', // session 2
  'ann,b,10000', 'ann,x,10010', 'ann,c,10020', // session 3 = test; x unseen in train
  'bob,a,0', 'bob,b,10',
  'bob,b,5000', 'bob,c,5010',
  'bob,c,10000', 'bob,a,10010',
].join('\n');

function tinyConfig(path: string, extra: Record<string, unknown> = {}): DataConfig {
  return dataSchema.parse({
    path,
    columns: { user: 'user', item: 'item', time: 'ts' },
    minItemSupport: 1,
    minSessionLength: 2,
    minSessionsPerUser: 1,
    cacheDir: tempDir(),
    ...extra,
  });
}

describe('buildPreparedData on a tiny log', () => {
  it('sessionises, dedups, splits by last session and encodes items in first-train-appearance order', async () => {
    const data = await buildPreparedData(tinyConfig(writeText(tempDir(), 'tiny.csv', TINY), { validation: false }), silentProgress);
    expect(data.items.ids).toEqual(['a', 'b', 'c']);
    // a=0 b=1 c=2
    expect(nested(data.train)).toEqual([[[0, 1], [0, 2]], [[0, 1], [1, 2]]]);
    expect(nested(data.test)).toEqual([[[1, 2]], [[2, 0]]]);
    expect(data.dropped).toEqual({
      'rows read': 14,
      'dedup: repeated item in session': 1,
      'item support < 1': 0,
      'session length < 2': 0,
      'user sessions outside [1, 200)': 0,
      'test: item not in train': 1,
      'test: session shorter than 2': 0,
    });
    expect(data.stats.train).toEqual({ users: 2, items: 3, sessions: 4, events: 8, eventsPerSession: 2, sessionsPerUser: 2 });
    expect(data.validTrain).toBeUndefined();
  });

  it('with data.testPath the given file is the test split (test clean-up still applies)', async () => {
    const dir = tempDir();
    const train = writeText(dir, 'train.tsv', 'SessionId\tItemId\tTime\n1\t7\t1\n1\t8\t2\n2\t8\t3\n2\t9\t4\n');
    const test = writeText(dir, 'test.tsv', 'SessionId\tItemId\tTime\n3\t7\t9\n3\t5\t10\n3\t9\t11\n4\t5\t12\n4\t7\t13\n');
    const cfg = dataSchema.parse({
      path: train, testPath: test, columns: { session: 'SessionId', item: 'ItemId', time: 'Time' },
      dedup: 'none', minItemSupport: 1, minSessionLength: 1, split: { type: 'time', days: 1 }, validation: false, cacheDir: dir,
    });
    const data = await buildPreparedData(cfg, silentProgress);
    expect(data.hasUsers).toBe(false);
    expect(data.items.ids).toEqual(['7', '8', '9']);
    expect(nested(data.test)).toEqual([[[0, 2]]]); // session 3 loses item 5; session 4 becomes [7]: too short
    expect(data.dropped['test file: rows read']).toBe(5);
    expect(data.dropped['test: item not in train']).toBe(2);
    expect(data.dropped['test: session shorter than 2']).toBe(1);
  });
});

describe('prepareData errors name file, line, column', () => {
  it('missing file', async () => {
    expect(await userErrorText(prepareData(tinyConfig('/nonexistent/log.csv'), { progress: silentProgress }))).toMatch(/\/nonexistent\/log\.csv: input file not found/);
  });
  it('missing column: names it, the file, the header and the config key', async () => {
    const path = writeText(tempDir(), 'tiny.csv', TINY);
    const cfg = tinyConfig(path, { columns: { user: 'user', item: 'item_id', time: 'ts' } });
    expect(await userErrorText(prepareData(cfg, { progress: silentProgress }))).toMatch(
      /tiny\.csv: column "item_id" not found; the header has: "user", "item", "ts" \(set data\.columns\.item/,
    );
  });
  it('unparsable time: file:line, column and value', async () => {
    const path = writeText(tempDir(), 'tiny.csv', 'user,item,ts\nann,a,1\nann,b,yesterday\n');
    expect(await userErrorText(prepareData(tinyConfig(path), { progress: silentProgress }))).toMatch(
      /tiny\.csv:3: column "ts" holds "yesterday", not a time in format unix-seconds/,
    );
  });
  it('empty result: names the step that emptied it', async () => {
    const path = writeText(tempDir(), 'tiny.csv', TINY);
    expect(await userErrorText(prepareData(tinyConfig(path, { minSessionLength: 9 }), { progress: silentProgress }))).toMatch(
      /no events left after the step "session length < 9"/,
    );
    const filtered = tinyConfig(path, { filters: [{ column: 'user', matches: '.' }] });
    expect(await userErrorText(prepareData(filtered, { progress: silentProgress }))).toMatch(/tiny\.csv: no rows left after reading and the row filters/);
  });
});

function expectSameData(a: PreparedData, b: PreparedData): void {
  expect(b.items.ids).toEqual(a.items.ids);
  expect(b.items.indexOf.get(a.items.ids[1] as string)).toBe(1);
  for (const name of ['train', 'test', 'validTrain', 'validTest'] as const) {
    const x = a[name];
    const y = b[name];
    if (!x || !y) throw new Error(`split ${name} missing`);
    expect(y.items).toEqual(x.items);
    expect(y.times).toEqual(x.times);
    expect(y.sessionOffsets).toEqual(x.sessionOffsets);
    expect(y.userOffsets).toEqual(x.userOffsets);
    expect(y.userIds).toEqual(x.userIds);
    expect(y.sessionIds).toEqual(x.sessionIds);
  }
  expect(b.dropped).toEqual(a.dropped);
  expect(b.stats).toEqual(a.stats);
  expect(b.hasUsers).toBe(a.hasUsers);
}

describe('the bundled demo data with the demo thresholds', () => {
  const cfg = dataSchema.parse({
    path: demoPath,
    columns: { user: 'user_id', session: 'session_id', item: 'item_id', time: 'timestamp' },
    minItemSupport: 5,
    minSessionLength: 2,
    minSessionsPerUser: 3,
    cacheDir: tempDir(),
  });

  it('runs, matches the published sample sizes, and events kept + removed = rows read', async () => {
    const first = await prepareData(cfg, { progress: silentProgress });
    const { data } = first;
    expect(first.fromCache).toBe(false);
    // datasets/online-retail-demo/README.md: 37,689 lines, 250 users, 3,067 items, 2,299 invoices
    expect(data.stats.sessionized).toMatchObject({ events: 37_689, users: 250, items: 3_067, sessions: 2_299 });
    const removed = Object.entries(data.dropped)
      .filter(([reason]) => reason !== 'rows read' && !reason.startsWith('valid test:'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(data.train.items.length + data.test.items.length + removed).toBe(data.dropped['rows read']);
    expect(data.test.userOffsets.length - 1).toBe(data.test.sessionOffsets.length - 1); // one test session per user
    expect(Math.max(...data.train.items)).toBe(data.items.ids.length - 1);

    const second = await prepareData(cfg, { progress: silentProgress });
    expect(second.fromCache).toBe(true);
    expect(second.cacheKey).toBe(first.cacheKey);
    expectSameData(data, second.data);
    const changed = await prepareData({ ...cfg, minItemSupport: 6 }, { progress: silentProgress });
    expect(changed.cacheKey).not.toBe(first.cacheKey);
  });

  it('savePreparedDir / loadPreparedDir round-trip every array', async () => {
    const data = await buildPreparedData(cfg, silentProgress);
    const dir = `${tempDir()}/prepared`;
    await savePreparedDir(dir, data);
    expectSameData(data, await loadPreparedDir(dir));
    expect(await userErrorText(loadPreparedDir(`${dir}-missing`))).toMatch(/not a prepared-data folder/);
  });
});

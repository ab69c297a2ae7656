import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SessionDataset } from '../../src/data/types.js';
import { UserError } from '../../src/util/errors.js';

/** A fresh temporary folder for one test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hrnn-data-'));
}

/** Write `text` (gzipped when the name ends in .gz) into `dir`; returns the path. */
export function writeText(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/**
 * A dataset from nested lists: users -> sessions -> item ids. Event e has time 100 * e, so
 * order in the lists is time order. Users are named u0, u1, ...; sessions s0, s1, ...
 */
export function makeDataset(users: number[][][]): SessionDataset {
  const items: number[] = [];
  const sessionOffsets: number[] = [];
  const userOffsets: number[] = [];
  for (const sessions of users) {
    userOffsets.push(sessionOffsets.length);
    for (const session of sessions) {
      sessionOffsets.push(items.length);
      items.push(...session);
    }
  }
  userOffsets.push(sessionOffsets.length);
  sessionOffsets.push(items.length);
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(items, (_, e) => 100 * e),
    sessionOffsets: Int32Array.from(sessionOffsets),
    userOffsets: Int32Array.from(userOffsets),
    userIds: users.map((_, u) => `u${u}`),
    sessionIds: Array.from({ length: sessionOffsets.length - 1 }, (_, s) => `s${s}`),
  };
}

/** Back from a dataset to nested lists (users -> sessions -> items). */
export function nested(ds: SessionDataset): number[][][] {
  const out: number[][][] = [];
  for (let u = 0; u + 1 < ds.userOffsets.length; u++) {
    const sessions: number[][] = [];
    for (let s = ds.userOffsets[u] as number; s < (ds.userOffsets[u + 1] as number); s++) {
      sessions.push(Array.from(ds.items.subarray(ds.sessionOffsets[s], ds.sessionOffsets[s + 1])));
    }
    out.push(sessions);
  }
  return out;
}

/** The one-line text a UserError prints (`where: message (hint)`), from a rejected promise. */
export async function userErrorText(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof UserError) return err.format();
    throw err;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

/** Same for a function that throws synchronously. */
export function userErrorTextSync(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.format();
    throw err;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

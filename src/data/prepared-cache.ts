import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';
import { itemIndexFromIds } from './item-index.js';
import type { PreparedData, SessionDataset } from './types.js';

/** Bumped when the on-disk layout changes. */
const FORMAT = 1;
const SPLITS = ['train', 'test', 'validTrain', 'validTest'] as const;
type SplitName = (typeof SPLITS)[number];

interface SplitMeta {
  events: number;
  sessions: number;
  users: number;
  userIds: readonly string[];
  sessionIds: readonly string[];
}

interface Meta {
  format: number;
  hasUsers: boolean;
  items: readonly string[];
  dropped: PreparedData['dropped'];
  stats: PreparedData['stats'];
  splits: Partial<Record<SplitName, SplitMeta>>;
}

/**
 * Save prepared data as a folder: `meta.json` (ids, stats, drop counts) plus one raw
 * little-endian typed-array file per split column, so loading is a few reads, no parsing.
 * Written atomically: the folder appears complete or not at all.
 */
export async function savePreparedDir(dir: string, data: PreparedData): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    const meta: Meta = { format: FORMAT, hasUsers: data.hasUsers, items: data.items.ids, dropped: data.dropped, stats: data.stats, splits: {} };
    for (const name of SPLITS) {
      const ds = data[name];
      if (!ds) continue;
      meta.splits[name] = { events: ds.items.length, sessions: ds.sessionOffsets.length - 1, users: ds.userOffsets.length - 1, userIds: ds.userIds, sessionIds: ds.sessionIds };
      await writeFile(join(tmp, `${name}.items.i32`), bytes(ds.items));
      await writeFile(join(tmp, `${name}.times.f64`), bytes(ds.times));
      await writeFile(join(tmp, `${name}.session-offsets.i32`), bytes(ds.sessionOffsets));
      await writeFile(join(tmp, `${name}.user-offsets.i32`), bytes(ds.userOffsets));
    }
    await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
  });
}

/** Load a folder written by savePreparedDir. A missing or inconsistent folder is a UserError. */
export async function loadPreparedDir(dir: string): Promise<PreparedData> {
  let meta: Meta;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Meta;
  } catch {
    throw new UserError('not a prepared-data folder (meta.json missing or unreadable)', { where: dir });
  }
  if (meta.format !== FORMAT) {
    throw new UserError(`prepared-data format ${meta.format}, expected ${FORMAT}`, { where: dir, hint: 'prepare the data again' });
  }
  const splits: Partial<Record<SplitName, SessionDataset>> = {};
  for (const name of SPLITS) {
    const m = meta.splits[name];
    if (m) splits[name] = await loadSplit(dir, name, m);
  }
  const { train, test, validTrain, validTest } = splits;
  if (!train || !test) throw new UserError('prepared-data folder lacks the train or test split', { where: dir });
  return {
    items: itemIndexFromIds(meta.items),
    train,
    test,
    ...(validTrain && validTest ? { validTrain, validTest } : {}),
    hasUsers: meta.hasUsers,
    dropped: meta.dropped,
    stats: meta.stats,
  };
}

async function loadSplit(dir: string, name: SplitName, m: SplitMeta): Promise<SessionDataset> {
  const read = async (file: string, bytesPer: number, length: number): Promise<ArrayBuffer> => {
    const buf = await readFile(join(dir, `${name}.${file}`)).catch(() => null);
    if (buf === null || buf.byteLength !== length * bytesPer) {
      throw new UserError(`prepared-data file ${name}.${file} is missing or has the wrong size`, { where: dir, hint: 'prepare the data again' });
    }
    // A copy aligned to the element size (Buffers may sit at any offset of a shared pool).
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  };
  return {
    items: new Int32Array(await read('items.i32', 4, m.events)),
    times: new Float64Array(await read('times.f64', 8, m.events)),
    sessionOffsets: new Int32Array(await read('session-offsets.i32', 4, m.sessions + 1)),
    userOffsets: new Int32Array(await read('user-offsets.i32', 4, m.users + 1)),
    userIds: m.userIds,
    sessionIds: m.sessionIds,
  };
}

function bytes(array: Int32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

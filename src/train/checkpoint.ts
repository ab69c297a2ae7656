import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParamStore } from '../models/layers/param-store.js';
import { writeDirAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';

/**
 * Per-epoch training checkpoints: parameters, optimizer state and the trainer's own state, written
 * as one directory `<checkpointDir>/last` that appears whole or not at all. Random streams need
 * no snapshot: the trainer forks them per epoch from the seed (stream + epoch number), so the
 * epoch number restores them exactly.
 */
export interface CheckpointMeta {
  /** Epochs completed. */
  epoch: number;
  /** Early-stopping state: best validation value so far and epochs since it improved. */
  best: number | null;
  badEpochs: number;
}

export interface Checkpoint {
  params: ParamStore;
  optimizerState: Record<string, Float32Array>;
  meta: CheckpointMeta;
}

const LAST = 'last';

export async function saveCheckpoint(checkpointDir: string, checkpoint: Checkpoint): Promise<void> {
  await writeDirAtomic(join(checkpointDir, LAST), async (tmp) => {
    await checkpoint.params.save(join(tmp, 'params'));
    await stateStore(checkpoint.optimizerState).save(join(tmp, 'optimizer'));
    await writeFile(join(tmp, 'meta.json'), JSON.stringify(checkpoint.meta));
  });
}

/** The last checkpoint in `checkpointDir`, or null when there is none. */
export async function loadCheckpoint(checkpointDir: string): Promise<Checkpoint | null> {
  const dir = join(checkpointDir, LAST);
  const metaFile = join(dir, 'meta.json');
  try {
    await access(metaFile);
  } catch {
    return null;
  }
  const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Partial<CheckpointMeta>;
  if (typeof meta.epoch !== 'number') throw new UserError('checkpoint without an epoch number', { where: metaFile });
  const params = await ParamStore.load(join(dir, 'params'));
  const optimizer = await ParamStore.load(join(dir, 'optimizer'));
  const optimizerState: Record<string, Float32Array> = {};
  for (const name of optimizer.names()) optimizerState[name] = optimizer.get(name);
  return { params, optimizerState, meta: { epoch: meta.epoch, best: meta.best ?? null, badEpochs: meta.badEpochs ?? 0 } };
}

/** Copy every parameter of `from` into `to` (same names and shapes), in place. */
export function restoreParams(to: ParamStore, from: ParamStore, where: string): void {
  for (const name of to.names()) {
    const dst = to.get(name);
    const src = from.names().includes(name) ? from.get(name) : null;
    if (src === null || src.length !== dst.length) {
      throw new UserError(`checkpoint parameter '${name}' is missing or has another shape; was the config changed?`, { where });
    }
    dst.set(src);
  }
}

/** Optimizer state as a ParamStore, to reuse its binary, atomic format. */
function stateStore(state: Record<string, Float32Array>): ParamStore {
  const store = new ParamStore();
  for (const [name, values] of Object.entries(state)) store.add({ name, shape: [values.length], itemIndexed: false }, values);
  return store;
}

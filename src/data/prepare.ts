import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataConfig } from '../config/data-schema.js';
import { UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { buildPreparedData } from './build-prepared.js';
import { loadPreparedDir, savePreparedDir } from './prepared-cache.js';
import type { PreparedData } from './types.js';
import { pathExists } from '../util/path-exists.js';

export interface PrepareResult {
  data: PreparedData;
  cacheKey: string;
  cachePath: string;
  input: { path: string; sha256: string; bytes: number };
  fromCache: boolean;
}

export interface PrepareOptions {
  progress: Progress;
  /** Rebuild even when a cached copy exists. */
  refresh?: boolean;
}

/**
 * Prepare the configured log, or load it from `<cacheDir>/<key>/` when the same input bytes
 * were prepared with the same settings before. The key hashes the input file(s) and the data
 * config without its paths and cacheDir: a moved file still hits, an edited one does not.
 */
export async function prepareData(cfg: DataConfig, options: PrepareOptions): Promise<PrepareResult> {
  const input = await fileDigest(cfg.path);
  const testInput = cfg.testPath === undefined ? undefined : await fileDigest(cfg.testPath);
  const { path: _path, testPath: _testPath, cacheDir, ...settings } = cfg;
  const cacheKey = sha256(canonicalJson({ input: input.sha256, test: testInput?.sha256 ?? null, settings })).slice(0, 20);
  const cachePath = resolve(cacheDir, cacheKey);

  if (!options.refresh && (await pathExists(join(cachePath, 'meta.json')))) {
    options.progress.info(`prepared data from cache ${cachePath}`);
    return { data: await loadPreparedDir(cachePath), cacheKey, cachePath, input, fromCache: true };
  }
  const data = await buildPreparedData(cfg, options.progress);
  await savePreparedDir(cachePath, data);
  return { data, cacheKey, cachePath, input, fromCache: false };
}

async function fileDigest(path: string): Promise<{ path: string; sha256: string; bytes: number }> {
  let bytes: number;
  try {
    bytes = (await stat(path)).size;
  } catch {
    throw new UserError('input file not found', { where: path, hint: 'check data.path / data.testPath or --data' });
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path, sha256: hash.digest('hex'), bytes };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so equal configs always hash equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

import type { DataConfig } from '../config/data-schema.js';
import { UserError } from '../util/errors.js';
import { compact, sessionCount, sessionMask, userCount } from './compact.js';
import type { DropCounts, SessionDataset } from './types.js';

export type PreprocessConfig = Pick<
  DataConfig,
  'dedup' | 'minItemSupport' | 'minSessionLength' | 'minSessionsPerUser' | 'maxSessionsPerUser' | 'iterateFilters'
>;

/**
 * The paper's cleaning after sessionising (Quadrana et al. 2017, spec 1.7), in this order:
 * dedup, min item support, min session length, min/max sessions per user (skipped for
 * pseudo-users). One pass, or repeated until nothing changes with `iterateFilters`.
 * `nItems` bounds the raw item ids in `ds.items`. Removed events are added to `dropped`.
 */
export function preprocess(
  ds: SessionDataset,
  nItems: number,
  cfg: PreprocessConfig,
  hasUsers: boolean,
  dropped: DropCounts,
): SessionDataset {
  const apply = (current: SessionDataset, reason: string, keep: Uint8Array): SessionDataset => {
    const next = compact(current, keep);
    const removed = current.items.length - next.items.length;
    dropped[reason] = (dropped[reason] ?? 0) + removed;
    if (next.items.length === 0) {
      throw new UserError(`no events left after the step "${reason}"`, {
        where: 'data',
        hint: 'lower the thresholds (data.minItemSupport, data.minSessionLength, data.minSessionsPerUser) or check the filters',
      });
    }
    return next;
  };

  let out = ds;
  if (cfg.dedup !== 'none') out = apply(out, dedupReason(cfg.dedup), dedupMask(out, nItems, cfg.dedup));
  const itemReason = `item support < ${cfg.minItemSupport}`;
  const sessionReason = `session length < ${cfg.minSessionLength}`;
  const max = cfg.maxSessionsPerUser;
  const userReason = max > 0 ? `user sessions outside [${cfg.minSessionsPerUser}, ${max})` : `user sessions < ${cfg.minSessionsPerUser}`;
  for (;;) {
    const before = out.items.length;
    out = apply(out, itemReason, itemSupportMask(out, nItems, cfg.minItemSupport));
    out = apply(out, sessionReason, sessionMask(out, (s) => sessionLength(out, s) >= cfg.minSessionLength));
    if (hasUsers) out = apply(out, userReason, userMask(out, cfg.minSessionsPerUser, max));
    if (!cfg.iterateFilters || out.items.length === before) return out;
  }
}

/** Only the dedup step (for a given test file, which is not filtered otherwise). */
export function dedupOnly(ds: SessionDataset, nItems: number, mode: DataConfig['dedup'], dropped: DropCounts, prefix: string): SessionDataset {
  if (mode === 'none') return ds;
  const out = compact(ds, dedupMask(ds, nItems, mode));
  dropped[`${prefix}${dedupReason(mode)}`] = ds.items.length - out.items.length;
  return out;
}

function dedupReason(mode: 'consecutive' | 'session'): string {
  return mode === 'session' ? 'dedup: repeated item in session' : 'dedup: consecutive repeat';
}

/** Keep the first event of each item in a session (`session`) or of each run of one item (`consecutive`). */
function dedupMask(ds: SessionDataset, nItems: number, mode: 'consecutive' | 'session'): Uint8Array {
  const keep = new Uint8Array(ds.items.length);
  const lastSession = new Int32Array(nItems).fill(-1);
  for (let s = 0; s < sessionCount(ds); s++) {
    for (let e = ds.sessionOffsets[s] as number; e < (ds.sessionOffsets[s + 1] as number); e++) {
      const item = ds.items[e] as number;
      if (mode === 'consecutive') {
        keep[e] = e === ds.sessionOffsets[s] || ds.items[e - 1] !== item ? 1 : 0;
      } else if (lastSession[item] !== s) {
        lastSession[item] = s;
        keep[e] = 1;
      }
    }
  }
  return keep;
}

function itemSupportMask(ds: SessionDataset, nItems: number, min: number): Uint8Array {
  const support = new Int32Array(nItems);
  for (const item of ds.items) support[item] = (support[item] as number) + 1;
  const keep = new Uint8Array(ds.items.length);
  ds.items.forEach((item, e) => {
    keep[e] = (support[item] as number) >= min ? 1 : 0;
  });
  return keep;
}

function userMask(ds: SessionDataset, min: number, max: number): Uint8Array {
  const keep = new Uint8Array(ds.items.length);
  for (let u = 0; u < userCount(ds); u++) {
    const first = ds.userOffsets[u] as number;
    const end = ds.userOffsets[u + 1] as number;
    const n = end - first;
    if (n >= min && (max === 0 || n < max)) keep.fill(1, ds.sessionOffsets[first] as number, ds.sessionOffsets[end] as number);
  }
  return keep;
}

export function sessionLength(ds: SessionDataset, s: number): number {
  return (ds.sessionOffsets[s + 1] as number) - (ds.sessionOffsets[s] as number);
}

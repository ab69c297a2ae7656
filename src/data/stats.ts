import type { SessionDataset, SplitStats } from './types.js';

/** Users, items, sessions and events of one split (the paper's Table 1 columns). */
export function splitStats(ds: SessionDataset): SplitStats {
  const users = ds.userOffsets.length - 1;
  const sessions = ds.sessionOffsets.length - 1;
  const events = ds.items.length;
  return {
    users,
    items: new Set(ds.items).size,
    sessions,
    events,
    eventsPerSession: sessions > 0 ? events / sessions : 0,
    sessionsPerUser: users > 0 ? sessions / users : 0,
  };
}

/** Readable row labels of the stats keys prepareData produces. */
const LABELS: Record<string, string> = {
  sessionized: 'after sessionising',
  filtered: 'after filters',
  train: 'train',
  test: 'test',
  validTrain: 'valid train',
  validTest: 'valid test',
};

/** A Markdown table, one row per split, in the order of `stats`. */
export function formatDatasetTable(stats: Record<string, SplitStats>): string {
  const int = (n: number): string => n.toLocaleString('en-US');
  const rows = Object.entries(stats).map(
    ([key, s]) =>
      `| ${LABELS[key] ?? key} | ${int(s.users)} | ${int(s.items)} | ${int(s.sessions)} | ${int(s.events)} | ${s.eventsPerSession.toFixed(2)} | ${s.sessionsPerUser.toFixed(2)} |`,
  );
  return ['| split | users | items | sessions | events | events/session | sessions/user |', '|---|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
}

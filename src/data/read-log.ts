import { basename } from 'node:path';
import type { DataConfig } from '../config/data-schema.js';
import { UserError } from '../util/errors.js';
import type { Progress, ProgressTask } from '../util/progress.js';
import { columnIndex, readDelimited } from './csv.js';
import { GrowableFloat64, GrowableInt32, Interner } from './growable.js';
import { compileRowFilters, type CompiledFilter } from './row-filters.js';
import { timeParser } from './time-parse.js';
import type { DropCounts } from './types.js';

/** The kept events of a log in file order, ids interned to ints. */
export interface EventLog {
  readonly path: string;
  /** Interned user of each event; null when the log has no user column. */
  readonly users: Int32Array | null;
  /** Interned session of each event (into `sessionIds`); null when sessions are cut by idle gap. */
  readonly sessions: Int32Array | null;
  readonly sessionIds: readonly string[];
  readonly items: Int32Array;
  readonly times: Float64Array;
}

/** Interners shared by the files of one dataset, so train and test ids agree. */
export interface Vocab {
  readonly users: Interner;
  readonly items: Interner;
}

/** Files larger than this get a progress bar while they are read. */
const PROGRESS_MIN_BYTES = 4 << 20;

/**
 * Read one event log: map the configured columns, apply the row filters, parse times and
 * intern ids while streaming, so memory holds only the kept events (as typed columns).
 * Adds `rows read` and one count per drop reason to `dropped`, each key prefixed by `prefix`.
 */
export async function readEventLog(
  path: string,
  cfg: DataConfig,
  vocab: Vocab,
  dropped: DropCounts,
  progress: Progress,
  prefix = '',
): Promise<EventLog> {
  const { columns } = cfg;
  const users = new GrowableInt32();
  const sessions = new GrowableInt32();
  const sessionIds = new Interner();
  const items = new GrowableInt32();
  const times = new GrowableFloat64();
  const parseTime = timeParser(cfg.timeFormat);
  const counts = new Map<string, number>();
  const count = (reason: string): void => void counts.set(reason, (counts.get(reason) ?? 0) + 1);

  let cols: { user: number; session: number; item: number; time: number } | undefined;
  let filters: CompiledFilter[] = [];
  let rows = 0;
  let task: ProgressTask | undefined;
  const onHeader = (header: string[]): void => {
    const find = (name: string | undefined, key: string): number =>
      name === undefined ? -1 : columnIndex(header, name, path, `data.columns.${key}`);
    cols = { user: find(columns.user, 'user'), session: find(columns.session, 'session'), item: find(columns.item, 'item'), time: find(columns.time, 'time') };
    filters = compileRowFilters(cfg.filters, header, path);
    for (const filter of filters) counts.set(filter.reason, 0); // reported in config order, zeros included
  };
  const onRow = (fields: string[], line: number): void => {
    rows++;
    if (!cols) return;
    for (const filter of filters) {
      if (filter.drops(fields, line)) return count(filter.reason);
    }
    const item = fields[cols.item] ?? '';
    if (item === '') return count('missing item id');
    const user = cols.user >= 0 ? (fields[cols.user] ?? '') : null;
    if (user === '') return count('missing user id');
    const session = cols.session >= 0 ? (fields[cols.session] ?? '') : null;
    if (session === '') return count('missing session id');
    const timeText = fields[cols.time] ?? '';
    const time = parseTime(timeText);
    if (Number.isNaN(time)) {
      throw new UserError(`column "${columns.time}" holds "${timeText}", not a time in format ${cfg.timeFormat}`, {
        where: `${path}:${line}`,
        hint: 'check data.timeFormat and data.columns.time',
      });
    }
    if (user !== null) users.push(vocab.users.intern(user));
    if (session !== null) sessions.push(sessionIds.intern(session));
    items.push(vocab.items.intern(item));
    times.push(time);
  };
  const onBytes = (read: number, total: number): void => {
    if (total < PROGRESS_MIN_BYTES) return;
    task ??= progress.task(`reading ${basename(path)}`, total);
    task.update(read);
  };
  try {
    await readDelimited(path, { delimiter: cfg.delimiter, header: cfg.header, columnNames: cfg.columnNames, onHeader, onBytes }, onRow);
  } finally {
    task?.stop();
  }
  dropped[`${prefix}rows read`] = rows;
  for (const [reason, n] of counts) dropped[`${prefix}${reason}`] = n;
  return {
    path,
    users: columns.user === undefined ? null : users.toArray(),
    sessions: columns.session === undefined ? null : sessions.toArray(),
    sessionIds: sessionIds.ids,
    items: items.toArray(),
    times: times.toArray(),
  };
}

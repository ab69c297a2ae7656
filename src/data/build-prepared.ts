import type { DataConfig } from '../config/data-schema.js';
import { UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { Interner } from './growable.js';
import { buildItemIndex, encodeItems } from './item-index.js';
import { dedupOnly, preprocess } from './preprocess.js';
import { readEventLog, type EventLog, type Vocab } from './read-log.js';
import { sessionize } from './sessionize.js';
import { cleanTest, splitSessions, type TrainTest } from './split.js';
import { splitStats } from './stats.js';
import type { DropCounts, PreparedData, SessionDataset, SplitStats } from './types.js';

/**
 * The whole preprocessing without caching: read (row filters), sessionise, clean and filter,
 * split, clean the test part, and encode every split with the train item index.
 * With `data.testPath` the test split is that file (row filters, sessionising and dedup only).
 */
export async function buildPreparedData(cfg: DataConfig, progress: Progress): Promise<PreparedData> {
  const dropped: DropCounts = {};
  const stats: Record<string, SplitStats> = {};
  const vocab: Vocab = { users: new Interner(), items: new Interner() };
  const hasUsers = cfg.columns.user !== undefined;

  const log = nonEmpty(await readEventLog(cfg.path, cfg, vocab, dropped, progress));
  const sessions = sessionize(log, vocab.users.ids, cfg.sessionGapSeconds);
  stats.sessionized = splitStats(sessions);
  const filtered = preprocess(sessions, vocab.items.size, cfg, hasUsers, dropped);
  stats.filtered = splitStats(filtered);

  let split: TrainTest;
  if (cfg.testPath === undefined) {
    split = splitSessions(filtered, cfg.split);
  } else {
    const testLog = nonEmpty(await readEventLog(cfg.testPath, cfg, vocab, dropped, progress, 'test file: '));
    const test = sessionize(testLog, vocab.users.ids, cfg.sessionGapSeconds);
    split = { train: filtered, test: dedupOnly(test, vocab.items.size, cfg.dedup, dropped, 'test file: ') };
  }
  const nItems = vocab.items.size;
  const main = cleanTest(split, nItems, cfg.minTestSessionLength, dropped, 'test');
  const valid = cfg.validation ? cleanTest(splitSessions(main.train, cfg.split), nItems, cfg.minTestSessionLength, dropped, 'valid test') : undefined;

  const { index, denseOf } = buildItemIndex(main.train, vocab.items.ids);
  const encode = (ds: SessionDataset): SessionDataset => encodeItems(ds, denseOf);
  const data: PreparedData = {
    items: index,
    train: encode(main.train),
    test: encode(main.test),
    ...(valid ? { validTrain: encode(valid.train), validTest: encode(valid.test) } : {}),
    hasUsers,
    dropped,
    stats,
  };
  stats.train = splitStats(data.train);
  stats.test = splitStats(data.test);
  if (data.validTrain && data.validTest) {
    stats.validTrain = splitStats(data.validTrain);
    stats.validTest = splitStats(data.validTest);
  }
  return data;
}

function nonEmpty(log: EventLog): EventLog {
  if (log.items.length === 0) {
    throw new UserError('no rows left after reading and the row filters', { where: log.path, hint: 'check data.filters and the id columns' });
  }
  return log;
}

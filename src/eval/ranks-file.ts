import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { EvalResult } from './evaluate.js';
import { computeMetrics, type CutoffOptions } from './metrics.js';

/**
 * Per-event ranks as CSV `user,session,position,item,rank,score` with original ids: the hook
 * for breakdowns, significance tests and scoring other tools' output (`hrnn score`).
 * Ties, coverage and users' training history are not in the file and cannot be recomputed.
 */
const HEADER = ['user', 'session', 'position', 'item', 'rank', 'score'] as const;

/** Original ids of the dense indices an EvalResult refers to. */
export interface RanksFileIds {
  itemIds: readonly string[];
  userIds: readonly string[];
  sessionIds: readonly string[];
}

export async function writeRanksFile(path: string, result: EvalResult, ids: RanksFileIds): Promise<void> {
  const lines = [HEADER.join(',')];
  for (let i = 0; i < result.nEvaluated; i++) {
    const score = result.targetScore[i] as number;
    lines.push(
      [
        csvField(ids.userIds[result.userIndex[i] as number]),
        csvField(ids.sessionIds[result.sessionIndex[i] as number]),
        String(result.position[i]),
        csvField(ids.itemIds[result.targetItem[i] as number]),
        String(result.ranks[i]),
        // 9 significant digits round-trip any float32.
        Number.isNaN(score) ? '' : String(Number(score.toPrecision(9))),
      ].join(','),
    );
  }
  await writeFileAtomic(path, `${lines.join('\n')}\n`);
}

function csvField(value: string | undefined): string {
  const s = value ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A ranks file read back: an EvalResult over dense indices of the ids in the file. */
export interface RanksTable extends RanksFileIds {
  result: EvalResult;
}

export async function readRanksFile(path: string, options: CutoffOptions & { model: string }): Promise<RanksTable> {
  const table = new TableBuilder(path);
  const input = createReadStream(path);
  const parser = parse({ info: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  // pipe() does not forward read errors (a missing file would leave the parser waiting).
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      table.add(row.record, row.info.lines);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UserError('ranks file not found', { where: path, kind: 'usage' });
    throw new UserError(`not a valid CSV file: ${err instanceof Error ? err.message : String(err)}`, { where: path });
  } finally {
    input.destroy();
  }
  return table.finish(options);
}

class TableBuilder {
  private hasScore = false;
  private sawHeader = false;
  private readonly ids = { user: new Map<string, number>(), session: new Map<string, number>(), item: new Map<string, number>() };
  private readonly cols = { user: [] as number[], session: [] as number[], item: [] as number[], position: [] as number[], rank: [] as number[], score: [] as number[] };

  constructor(private readonly path: string) {}

  add(record: string[], line: number): void {
    const where = `${this.path}:${line}`;
    if (!this.sawHeader) {
      this.checkHeader(record, where);
      return;
    }
    if (record.length !== (this.hasScore ? 6 : 5)) throw new UserError(`expected ${this.hasScore ? 6 : 5} fields, found ${record.length}`, { where });
    const [user, session, position, item, rank, score] = record as [string, string, string, string, string, string?];
    this.cols.user.push(denseId(this.ids.user, user));
    this.cols.session.push(denseId(this.ids.session, session));
    this.cols.item.push(denseId(this.ids.item, item));
    this.cols.position.push(parseNumber(position, 'position', where, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1'));
    this.cols.rank.push(parseNumber(rank, 'rank', where, (x) => x >= 1, 'a number >= 1'));
    this.cols.score.push(score === undefined || score === '' ? NaN : parseNumber(score, 'score', where, () => true, 'a number'));
  }

  finish(options: CutoffOptions & { model: string }): RanksTable {
    if (!this.sawHeader) throw new UserError('the ranks file is empty', { where: this.path });
    const ranks = Float64Array.from(this.cols.rank);
    const n = ranks.length;
    const result: EvalResult = {
      model: options.model,
      nEvaluated: n,
      ranks,
      tied: null,
      userIndex: Int32Array.from(this.cols.user),
      sessionIndex: Int32Array.from(this.cols.session),
      position: Int32Array.from(this.cols.position),
      targetItem: Int32Array.from(this.cols.item),
      targetScore: Float32Array.from(this.cols.score),
      historyLength: null,
      coverage: {},
      metrics: computeMetrics(ranks, options),
      seconds: 0,
      eventsPerSecond: 0,
    };
    return { result, itemIds: [...this.ids.item.keys()], userIds: [...this.ids.user.keys()], sessionIds: [...this.ids.session.keys()] };
  }

  private checkHeader(record: string[], where: string): void {
    const expected = HEADER.slice(0, record.length === 5 ? 5 : 6);
    if (record.length < 5 || record.length > 6 || record.some((name, i) => name !== expected[i])) {
      throw new UserError(`header must be ${HEADER.join(',')} (score optional), found ${record.join(',')}`, { where });
    }
    this.hasScore = record.length === 6;
    this.sawHeader = true;
  }
}

function denseId(ids: Map<string, number>, id: string): number {
  let index = ids.get(id);
  if (index === undefined) {
    index = ids.size;
    ids.set(id, index);
  }
  return index;
}

function parseNumber(text: string, field: string, where: string, isValid: (x: number) => boolean, expected: string): number {
  const x = text === '' ? NaN : Number(text);
  if (!Number.isFinite(x) || !isValid(x)) throw new UserError(`${field} must be ${expected}, found "${text}"`, { where });
  return x;
}

import type { RowFilter } from '../config/data-schema.js';
import { UserError } from '../util/errors.js';
import { columnIndex } from './csv.js';

/** One compiled `data.filters` rule: `drops` says whether a row is removed. */
export interface CompiledFilter {
  /** Readable reason used as the drop-count key, e.g. `filter: Invoice startsWith "C"`. */
  readonly reason: string;
  drops(fields: readonly string[], line: number): boolean;
}

/**
 * Compile the row filters against a file's header. Rules read one column each; a numeric rule
 * on a non-numeric value is a UserError naming the file, line and column.
 */
export function compileRowFilters(filters: readonly RowFilter[], header: readonly string[], file: string): CompiledFilter[] {
  return filters.map((filter, i) => {
    const col = columnIndex(header, filter.column, file, `data.filters.${i}.column`);
    const field = (fields: readonly string[]): string => fields[col] ?? '';
    const numeric = (fields: readonly string[], line: number): number => {
      const text = field(fields);
      const value = text.trim() === '' ? NaN : Number(text);
      if (Number.isNaN(value)) {
        throw new UserError(`column "${filter.column}" holds "${text}", not a number (filter data.filters.${i})`, {
          where: `${file}:${line}`,
        });
      }
      return value;
    };
    const label = `filter: ${filter.column}`;
    if (filter.empty) return { reason: `${label} empty`, drops: (f) => field(f).trim() === '' };
    if (filter.startsWith !== undefined) {
      const prefix = filter.startsWith;
      return { reason: `${label} startsWith "${prefix}"`, drops: (f) => field(f).startsWith(prefix) };
    }
    if (filter.matches !== undefined) {
      const re = compileRegex(filter.matches, i, 'matches');
      return { reason: `${label} matches /${filter.matches}/`, drops: (f) => re.test(field(f)) };
    }
    if (filter.notMatches !== undefined) {
      const re = compileRegex(filter.notMatches, i, 'notMatches');
      return { reason: `${label} notMatches /${filter.notMatches}/`, drops: (f) => !re.test(field(f)) };
    }
    if (filter.below !== undefined) {
      const limit = filter.below;
      return { reason: `${label} below ${limit}`, drops: (f, line) => numeric(f, line) < limit };
    }
    if (filter.atMost !== undefined) {
      const limit = filter.atMost;
      return { reason: `${label} atMost ${limit}`, drops: (f, line) => numeric(f, line) <= limit };
    }
    throw new UserError('a filter needs one rule', { where: `data.filters.${i}`, kind: 'usage' });
  });
}

function compileRegex(source: string, i: number, op: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new UserError(`invalid regular expression: ${(err as Error).message}`, { where: `data.filters.${i}.${op}`, kind: 'usage' });
  }
}

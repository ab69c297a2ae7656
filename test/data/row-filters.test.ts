import { describe, expect, it } from 'vitest';
import { compileRowFilters } from '../../src/data/row-filters.js';
import { userErrorTextSync } from './helpers.js';

const header = ['Invoice', 'Customer ID', 'Quantity', 'StockCode'];

/** Reasons of the first filter that drops each row (undefined: kept). */
function verdicts(filters: Parameters<typeof compileRowFilters>[0], rows: string[][]): (string | undefined)[] {
  const compiled = compileRowFilters(filters, header, 'log.csv');
  return rows.map((row, i) => compiled.find((f) => f.drops(row, i + 2))?.reason);
}

describe('compileRowFilters', () => {
  const rows = [
    ['C489449', '12345', '-3', '22087'],
    ['489450', '', '2', '22087'],
    ['489451', '12345', '0', '22087'],
    ['489452', '12345', '5', 'POST'],
    ['489453', '12345', '0.5', '85123A'],
  ];

  it('each rule drops exactly its rows, with a readable reason', () => {
    expect(verdicts([{ column: 'Invoice', startsWith: 'C' }], rows)).toEqual(['filter: Invoice startsWith "C"', undefined, undefined, undefined, undefined]);
    expect(verdicts([{ column: 'Customer ID', empty: true }], rows)).toEqual([undefined, 'filter: Customer ID empty', undefined, undefined, undefined]);
    expect(verdicts([{ column: 'Quantity', atMost: 0 }], rows)).toEqual(['filter: Quantity atMost 0', undefined, 'filter: Quantity atMost 0', undefined, undefined]);
    expect(verdicts([{ column: 'Quantity', below: 1 }], rows)).toEqual(['filter: Quantity below 1', undefined, 'filter: Quantity below 1', undefined, 'filter: Quantity below 1']);
    expect(verdicts([{ column: 'StockCode', notMatches: '^[0-9]' }], rows)).toEqual([undefined, undefined, undefined, 'filter: StockCode notMatches /^[0-9]/', undefined]);
    expect(verdicts([{ column: 'StockCode', matches: '[A-Z]$' }], rows)).toEqual([undefined, undefined, undefined, 'filter: StockCode matches /[A-Z]$/', 'filter: StockCode matches /[A-Z]$/']);
  });

  it('rules apply in order; the first that drops a row names the reason', () => {
    const filters = [{ column: 'Invoice', startsWith: 'C' }, { column: 'Quantity', atMost: 0 }];
    expect(verdicts(filters, rows)[0]).toBe('filter: Invoice startsWith "C"');
  });

  it('a numeric rule on a non-number is an error naming file:line and column', () => {
    const [filter] = compileRowFilters([{ column: 'Quantity', atMost: 0 }], header, 'log.csv');
    expect(userErrorTextSync(() => filter?.drops(['1', '2', 'many', 'x'], 17))).toMatch(/^log\.csv:17: column "Quantity" holds "many", not a number/);
  });

  it('an unknown column names the filter key', () => {
    expect(userErrorTextSync(() => compileRowFilters([{ column: 'Qty', atMost: 0 }], header, 'log.csv'))).toMatch(
      /log\.csv: column "Qty" not found.*data\.filters\.0\.column/,
    );
  });
});

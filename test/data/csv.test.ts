import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnIndex, defaultDelimiter, readDelimited } from '../../src/data/csv.js';
import { tempDir, userErrorText, userErrorTextSync, writeText } from './helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

async function readAll(path: string, options: Parameters<typeof readDelimited>[1] = { header: true }) {
  const rows: { fields: string[]; line: number }[] = [];
  const { header } = await readDelimited(path, options, (fields, line) => rows.push({ fields, line }));
  return { header, rows };
}

describe('readDelimited', () => {
  it('parses quoted fields, doubled quotes, newlines in quotes, empty fields; skips blank lines', async () => {
    const { header, rows } = await readAll(fixture('quoted.csv'));
    expect(header).toEqual(['id', 'name', 'qty']);
    expect(rows).toEqual([
      { fields: ['1', 'plain', '3'], line: 2 },
      { fields: ['2', 'with, comma', '4'], line: 3 },
      { fields: ['3', 'doubled "quote" inside', '5'], line: 4 },
      { fields: ['4', 'two\nlines', '6'], line: 5 }, // a record spanning lines 5-6 reports its first line
      { fields: ['5', '', '7'], line: 8 }, // line 7 is blank
    ]);
  });

  it('strips \\r of CRLF files and a byte-order mark', async () => {
    expect((await readAll(fixture('crlf.csv'))).rows).toEqual([{ fields: ['1', 'crlf'], line: 2 }]);
    const dir = tempDir();
    const bom = await readAll(writeText(dir, 'bom.csv', '\uFEFFa,b\n1,2\n'));
    expect(bom.header).toEqual(['a', 'b']);
  });

  it('reads gzipped TSV with tab as the default delimiter, quotes being plain characters', async () => {
    const dir = tempDir();
    const path = writeText(dir, 'log.tsv.gz', 'a\tb\n1\t12" record\n2\tx,y\n');
    const { header, rows } = await readAll(path);
    expect(header).toEqual(['a', 'b']);
    expect(rows.map((r) => r.fields)).toEqual([
      ['1', '12" record'],
      ['2', 'x,y'],
    ]);
  });

  it('uses columnNames for a headerless file and an explicit delimiter', async () => {
    const dir = tempDir();
    const path = writeText(dir, 'log.csv', '1;a\n2;b\n');
    const { header, rows } = await readAll(path, { header: false, columnNames: ['n', 's'], delimiter: ';' });
    expect(header).toEqual(['n', 's']);
    expect(rows).toEqual([
      { fields: ['1', 'a'], line: 1 },
      { fields: ['2', 'b'], line: 2 },
    ]);
  });

  it('reads a record split across stream chunks intact', async () => {
    const dir = tempDir();
    // ~3 MB: crosses the 1 MB read chunks several times.
    const lines = Array.from({ length: 200_000 }, (_, i) => `${i},"v ""${i}""",${i % 7}`);
    const path = writeText(dir, 'big.csv.gz', `i,v,m\n${lines.join('\n')}\n`);
    let n = 0;
    let sumMod = 0;
    let bad = 0;
    await readDelimited(path, { header: true }, (f) => {
      if (f[1] !== `v "${n}"`) bad++;
      sumMod += Number(f[2]);
      n++;
    });
    expect(n).toBe(200_000);
    expect(bad).toBe(0);
    // sum of i % 7 over 0..199999: 28571 full cycles of 0..6 (21 each) + remainder 0..2 (3)
    expect(sumMod).toBe(28571 * 21 + 3);
  });

  it('defaults: tab for .tsv / .txt (also .gz), comma otherwise', () => {
    expect(defaultDelimiter('a.tsv')).toBe('\t');
    expect(defaultDelimiter('a.TXT.gz')).toBe('\t');
    expect(defaultDelimiter('a.csv.gz')).toBe(',');
    expect(defaultDelimiter('a.dat')).toBe(',');
  });

  it('errors: missing file, unterminated quote, bad gzip, missing column', async () => {
    const dir = tempDir();
    expect(await userErrorText(readAll(`${dir}/nope.csv`))).toMatch(/nope\.csv: input file not found/);
    const open = writeText(dir, 'open.csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    expect(await userErrorText(readAll(open))).toMatch(/open\.csv:3: unterminated quoted field/);
    const gz = join(dir, 'junk.csv.gz');
    writeFileSync(gz, 'not gzip');
    expect(await userErrorText(readAll(gz))).toMatch(/junk\.csv\.gz: not a valid gzip file/);
    const text = userErrorTextSync(() => columnIndex(['a', 'b'], 'item', 'log.csv', 'data.columns.item'));
    expect(text).toMatch(/^log\.csv: column "item" not found; the header has: "a", "b" \(set data\.columns\.item/);
  });
});

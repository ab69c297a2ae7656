import { UserError } from '../util/errors.js';

/** A record still open after this many characters has an unterminated quote. */
const MAX_RECORD_CHARS = 1 << 20;

/**
 * Cuts streamed text into records: one line each, except that a line with an odd number of
 * quotes continues on the next line (a newline inside a quoted field). `\r\n` endings and a
 * leading byte-order mark are removed; blank lines are skipped.
 */
export class RecordSplitter {
  private rest = '';
  private pending = '';
  private pendingLine = 0;
  private line = 0;
  private first = true;

  constructor(
    private readonly path: string,
    private readonly quoting: boolean,
    private readonly onRecord: (record: string, line: number) => void,
  ) {}

  push(chunk: string): void {
    let text = this.rest + chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.takeLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(): void {
    if (this.rest.length > 0) this.takeLine(this.rest);
    this.rest = '';
    if (this.pending.length > 0) {
      throw new UserError('unterminated quoted field at the end of the file', { where: `${this.path}:${this.pendingLine}` });
    }
  }

  private takeLine(raw: string): void {
    this.line++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.pending.length === 0) {
      if (line.length === 0) return;
      if (!this.quoting || line.indexOf('"') < 0 || countQuotes(line) % 2 === 0) {
        this.onRecord(line, this.line);
        return;
      }
      this.pending = line;
      this.pendingLine = this.line;
      return;
    }
    this.pending += `\n${line}`;
    if (countQuotes(line) % 2 === 1) {
      const record = this.pending;
      this.pending = '';
      this.onRecord(record, this.pendingLine);
    } else if (this.pending.length > MAX_RECORD_CHARS) {
      throw new UserError('unterminated quoted field (a quote opened here never closes)', {
        where: `${this.path}:${this.pendingLine}`,
      });
    }
  }
}

/**
 * The fields of one record. Without quotes this is a plain split; a field that starts with a
 * quote runs to its closing quote, with `""` standing for one quote character.
 */
export function splitRecord(record: string, delimiter: string, quoting: boolean, path: string, line: number): string[] {
  if (!quoting || record.indexOf('"') < 0) return record.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (record.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = record.indexOf('"', j);
        if (close < 0) throw new UserError('unterminated quoted field', { where: `${path}:${line}` });
        value += record.slice(j, close);
        if (record.charCodeAt(close + 1) === 34) {
          value += '"';
          j = close + 2;
        } else {
          j = close + 1;
          break;
        }
      }
      fields.push(value);
      if (j >= record.length) return fields;
      if (!record.startsWith(delimiter, j)) {
        throw new UserError(`unexpected character after a closing quote in field ${fields.length}`, { where: `${path}:${line}` });
      }
      i = j + delimiter.length;
    } else {
      const next = record.indexOf(delimiter, i);
      if (next < 0) {
        fields.push(record.slice(i));
        return fields;
      }
      fields.push(record.slice(i, next));
      i = next + delimiter.length;
    }
  }
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

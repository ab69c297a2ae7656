import type { DataConfig } from '../config/data-schema.js';

export type TimeFormat = DataConfig['timeFormat'];

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const HAS_CLOCK = /T\d{2}:\d{2}/;

/**
 * A parser from the text of a time field to unix seconds (fractional allowed). Returns NaN
 * when the text is not a time of this format; the caller reports where.
 * `datetime` and zone-less `iso8601` date-times are read as UTC: a log's wall clock, not the
 * machine's time zone, so results do not depend on where hrnn runs.
 */
export function timeParser(format: TimeFormat): (text: string) => number {
  switch (format) {
    case 'unix-seconds':
      return parseNumber;
    case 'unix-ms':
      return (text) => parseNumber(text) / 1000;
    case 'datetime':
      return parseDatetime;
    case 'iso8601':
      return parseIso;
  }
}

function parseNumber(text: string): number {
  if (text.trim() === '') return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

function parseDatetime(text: string): number {
  const m = DATETIME.exec(text.trim());
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2009-02-30 over into March; such a date is not a valid input.
  if (new Date(ms).getUTCDate() !== day) return NaN;
  return ms / 1000 + (m[7] ? Number(m[7]) : 0);
}

function parseIso(text: string): number {
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed)) return NaN;
  // ECMAScript reads a zone-less date-time as local time; we want UTC (see above).
  const withZone = HAS_CLOCK.test(trimmed) && !HAS_ZONE.test(trimmed) ? `${trimmed}Z` : trimmed;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? ms / 1000 : NaN;
}

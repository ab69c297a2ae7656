import { describe, expect, it } from 'vitest';
import { timeParser } from '../../src/data/time-parse.js';

describe('timeParser', () => {
  it('unix-seconds and unix-ms, fractions kept', () => {
    expect(timeParser('unix-seconds')('1396860669.277')).toBeCloseTo(1396860669.277, 6);
    expect(timeParser('unix-ms')('1396860669277')).toBeCloseTo(1396860669.277, 6);
    expect(timeParser('unix-seconds')('')).toBeNaN();
    expect(timeParser('unix-seconds')('12abc')).toBeNaN();
  });

  it('datetime YYYY-MM-DD HH:MM:SS is read as UTC', () => {
    // 2009-12-01 = 14579 days after 1970-01-01 (39 years incl. 10 leap days = 14245, + 334 days to Dec 1);
    // 14579 * 86400 (1259625600) + 7 h 45 min (27900 s) = 1259653500
    expect(timeParser('datetime')('2009-12-01 07:45:00')).toBe(1259653500);
    expect(timeParser('datetime')('2009-12-01T07:45:00')).toBe(1259653500);
  });

  it('datetime rejects other layouts and impossible dates', () => {
    const parse = timeParser('datetime');
    for (const bad of ['2009-12-01', '12/01/2009 07:45', '2009-02-30 10:00:00', '2009-13-01 00:00:00', '2009-12-01 24:00:00']) {
      expect(parse(bad)).toBeNaN();
    }
  });

  it('iso8601: zone-less date-times as UTC, offsets honoured', () => {
    const parse = timeParser('iso8601');
    expect(parse('2009-12-01T07:45:00')).toBe(1259653500);
    expect(parse('2009-12-01T07:45:00Z')).toBe(1259653500);
    expect(parse('2009-12-01T08:45:00+01:00')).toBe(1259653500);
    expect(parse('2009-12-01')).toBe(1259653500 - 27900);
    expect(parse('Dec 1 2009')).toBeNaN();
  });
});

import type { DistanceDecay, PositionWeight } from '../../config/baseline-schema.js';

/**
 * The decay functions of session-rec's SR and V-SKNN (Ludewig & Jannach). Deviation: session-rec's
 * `linear` goes negative past d = 10 (and its position form is gated on i <= 10); both are
 * clamped at 0 here so a far item never counts against a candidate.
 */
export function distanceDecay(kind: DistanceDecay, d: number): number {
  switch (kind) {
    case 'same':
      return 1;
    case 'div':
      return 1 / d;
    case 'linear':
      return Math.max(0, 1 - 0.1 * d);
    case 'log':
      return 1 / Math.log10(d + 1.7);
    case 'quadratic':
      return 1 / (d * d);
  }
}

/** Weight of the item at 1-based position i of a session of length len (the latest item weighs most). */
export function positionWeight(kind: PositionWeight, i: number, len: number): number {
  switch (kind) {
    case 'same':
      return 1;
    case 'div':
      return i / len;
    case 'linear':
      return Math.max(0, 1 - 0.1 * (len - i));
    case 'log':
      return 1 / Math.log10(len - i + 1.7);
    case 'quadratic':
      return (i / len) ** 2;
  }
}

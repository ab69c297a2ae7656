import type { EvalResult } from './evaluate.js';

/**
 * Pair the events of two results by their stable key (test session index, position), so models
 * evaluated in different lane orders (user-aware or not) are compared on the same targets.
 * Returns matching event indices (event ia[i] of a is event ib[i] of b); unmatched events are left out.
 */
export function alignEvents(a: EvalResult, b: EvalResult): { ia: Int32Array; ib: Int32Array } {
  let maxPosition = 0;
  for (const p of a.position) maxPosition = Math.max(maxPosition, p);
  for (const p of b.position) maxPosition = Math.max(maxPosition, p);
  const keyA = eventKeys(a, maxPosition + 1);
  const keyB = eventKeys(b, maxPosition + 1);
  if (sameKeys(keyA, keyB)) {
    const all = Int32Array.from({ length: keyA.length }, (_, i) => i);
    return { ia: all, ib: all };
  }
  const orderA = sortedOrder(keyA);
  const orderB = sortedOrder(keyB);
  const ia: number[] = [];
  const ib: number[] = [];
  let j = 0;
  for (const i of orderA) {
    const k = keyA[i] as number;
    while (j < orderB.length && (keyB[orderB[j] as number] as number) < k) j++;
    if (j < orderB.length && keyB[orderB[j] as number] === k) {
      ia.push(i);
      ib.push(orderB[j++] as number);
    }
  }
  return { ia: Int32Array.from(ia), ib: Int32Array.from(ib) };
}

function eventKeys(r: EvalResult, stride: number): Float64Array {
  return Float64Array.from(r.sessionIndex, (s, i) => s * stride + (r.position[i] as number));
}

function sameKeys(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sortedOrder(keys: Float64Array): Int32Array {
  return Int32Array.from({ length: keys.length }, (_, i) => i).sort((x, y) => (keys[x] as number) - (keys[y] as number));
}

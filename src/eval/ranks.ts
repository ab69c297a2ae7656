/**
 * Rank of a target among all item scores, and the top-k list, in plain JS (no tfjs): one pass
 * over a row of scores. Ties follow eval.tieBreak (GRU4Rec's modes, spec 2.9):
 *   optimistic   = 1 + #{score > target}      (GRU4Rec "standard", HRNN's evaluator)
 *   conservative = #{score >= target}         (the target counts itself)
 *   median       = mean of the two            (may be x.5)
 * A NaN target score ranks last; other NaN scores never beat the target.
 */
export type TieRule = 'optimistic' | 'conservative' | 'median';

export interface TargetCounts {
  /** Items scoring strictly above the target. */
  greater: number;
  /** Items scoring equal to the target, the target included (>= 1). */
  equal: number;
}

/** Count the items above and equal to `target` in row `scores[offset .. offset + nItems)`. */
export function countAroundTarget(scores: Float32Array, offset: number, nItems: number, target: number, out: TargetCounts): void {
  const t = scores[offset + target] as number;
  if (Number.isNaN(t)) {
    out.greater = nItems - 1;
    out.equal = 1;
    return;
  }
  let greater = 0;
  let atLeast = 0;
  const end = offset + nItems;
  // Branch-free counting: with scores near the target's, branches mispredict and cost ~2x.
  for (let i = offset; i < end; i++) {
    const s = scores[i] as number;
    greater += +(s > t);
    atLeast += +(s >= t);
  }
  out.greater = greater;
  out.equal = atLeast - greater;
}

export function tieRank(counts: TargetCounts, rule: TieRule): number {
  const optimistic = counts.greater + 1;
  const conservative = counts.greater + counts.equal;
  if (rule === 'optimistic') return optimistic;
  if (rule === 'conservative') return conservative;
  return (optimistic + conservative) / 2;
}

/**
 * The k best items of a row, best first (equal scores: lower index first), written to
 * `out[outOffset .. outOffset + k)`. Partial selection with a size-k min-heap: O(nItems log k),
 * and most items fail the single comparison with the heap's minimum.
 */
export class TopKSelector {
  private readonly heapItem: Int32Array;
  private readonly heapScore: Float32Array;

  constructor(readonly k: number) {
    this.heapItem = new Int32Array(k);
    this.heapScore = new Float32Array(k);
  }

  select(scores: Float32Array, offset: number, nItems: number, out: Int32Array, outOffset: number): void {
    const k = Math.min(this.k, nItems);
    let size = 0;
    let min = -Infinity;
    for (let i = 0; i < nItems; i++) {
      const s = scores[offset + i] as number;
      // One comparison for most items; NaN fails it and is never listed.
      if (!(s >= min)) continue;
      if (size < k) {
        size++;
        this.siftUp(size - 1, i, s);
        if (size === k) min = this.heapScore[0] as number;
      } else if (s > min) {
        this.siftDown(size, i, s);
        min = this.heapScore[0] as number;
      }
    }
    // Pop the minimum repeatedly: it fills the list from the back.
    for (let n = size; n > 0; n--) {
      out[outOffset + n - 1] = this.heapItem[0] as number;
      this.siftDown(n - 1, this.heapItem[n - 1] as number, this.heapScore[n - 1] as number);
    }
    out.fill(-1, outOffset + size, outOffset + this.k);
  }

  /** Min-heap order: lower score first; on equal scores the higher index is "smaller" (evicted first). */
  private below(itemA: number, scoreA: number, itemB: number, scoreB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && itemA > itemB);
  }

  private siftUp(pos: number, item: number, score: number): void {
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pItem = this.heapItem[parent] as number;
      const pScore = this.heapScore[parent] as number;
      if (!this.below(item, score, pItem, pScore)) break;
      this.heapItem[pos] = pItem;
      this.heapScore[pos] = pScore;
      pos = parent;
    }
    this.heapItem[pos] = item;
    this.heapScore[pos] = score;
  }

  /** Replace the root by (item, score) in a heap of `size` entries and restore the order. */
  private siftDown(size: number, item: number, score: number): void {
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.below(this.heapItem[right] as number, this.heapScore[right] as number, this.heapItem[child] as number, this.heapScore[child] as number)) {
        child = right;
      }
      const cItem = this.heapItem[child] as number;
      const cScore = this.heapScore[child] as number;
      if (!this.below(cItem, cScore, item, score)) break;
      this.heapItem[pos] = cItem;
      this.heapScore[pos] = cScore;
      pos = child;
    }
    if (size > 0) {
      this.heapItem[pos] = item;
      this.heapScore[pos] = score;
    }
  }
}

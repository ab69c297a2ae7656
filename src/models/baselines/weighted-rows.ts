/** Sparse item-to-item weights: row i lists (cols[k], weights[k]) for k in offsets[i] .. offsets[i+1]. */
export interface WeightedRows {
  readonly offsets: Int32Array;
  readonly cols: Int32Array;
  readonly weights: Float32Array;
}

export interface TopKRowsOptions {
  readonly nItems: number;
  /** Entries kept per row, strongest first; 0 keeps all. */
  readonly keep: number;
  /** Accumulate the raw weights of row `item` with add(col, w). */
  readonly visit: (item: number, add: (col: number, w: number) => void) => void;
  /** Final weight from the accumulated one (default: as accumulated). Entries <= 0 are dropped. */
  readonly finish?: (item: number, col: number, accumulated: number) => number;
}

/**
 * Build sparse rows one item at a time with one dense scratch row and a touched list, so memory
 * stays O(nItems + kept entries) however large the catalogue. Ties keep the lower item index.
 */
export function buildTopKRows(options: TopKRowsOptions): WeightedRows {
  const { nItems, keep, visit, finish } = options;
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const isTouched = new Uint8Array(nItems);
  let nTouched = 0;
  const add = (col: number, w: number): void => {
    if (isTouched[col] === 0) {
      isTouched[col] = 1;
      touched[nTouched++] = col;
    }
    acc[col] = (acc[col] ?? 0) + w;
  };
  const offsets = new Int32Array(nItems + 1);
  const cols: number[] = [];
  const weights: number[] = [];
  for (let item = 0; item < nItems; item++) {
    nTouched = 0;
    visit(item, add);
    const row = touched.slice(0, nTouched);
    for (const col of row) {
      const w = acc[col] ?? 0;
      acc[col] = finish ? finish(item, col, w) : w;
    }
    const kept = row.filter((col) => (acc[col] ?? 0) > 0);
    kept.sort((a, b) => (acc[b] ?? 0) - (acc[a] ?? 0) || a - b);
    const n = keep > 0 ? Math.min(keep, kept.length) : kept.length;
    for (let k = 0; k < n; k++) {
      const col = kept[k] ?? 0;
      cols.push(col);
      weights.push(acc[col] ?? 0);
    }
    for (const col of row) {
      acc[col] = 0;
      isTouched[col] = 0;
    }
    offsets[item + 1] = cols.length;
  }
  return { offsets, cols: Int32Array.from(cols), weights: Float32Array.from(weights) };
}

/** out[col] += weight for every entry of row `item`. */
export function addRow(rows: WeightedRows, item: number, out: Float32Array): void {
  for (let k = rows.offsets[item] ?? 0; k < (rows.offsets[item + 1] ?? 0); k++) {
    const col = rows.cols[k] ?? 0;
    out[col] = (out[col] ?? 0) + (rows.weights[k] ?? 0);
  }
}

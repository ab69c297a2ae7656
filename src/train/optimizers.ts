import { rowSizeOf, type ParamStore } from '../models/layers/param-store.js';
import { InternalError } from '../util/errors.js';

/**
 * Optimizers that update the ParamStore's Float32Arrays in place (spec 1.3 / 2.6).
 * adagrad: the reference's "Adagrad with momentum" (heavy-ball on the Adagrad-scaled gradient):
 *   acc += g^2; g^ = g / sqrt(acc + eps); momentum > 0: v = mu v - lr g^, p += v; else p -= lr g^.
 * adam: bias-corrected Adam; for item-indexed parameters lazy (only touched rows' moments move,
 * the step count is per parameter).
 * applySparse sums duplicate rows first, then updates only those rows and their state.
 */
export type OptimizerConfig =
  | { type: 'adagrad'; lr: number; momentum: number; eps?: number }
  | { type: 'adam'; lr: number; beta1: number; beta2: number; eps: number };

export interface Optimizer {
  applyDense(name: string, grad: Float32Array): void;
  /** grad [rows.length * rowSize]; duplicate rows are summed before the update. */
  applySparse(name: string, rows: Int32Array, grad: Float32Array): void;
  state(): Record<string, Float32Array>;
  loadState(s: Record<string, Float32Array>): void;
}

/**
 * Updates the rows `rows` of a parameter from `g`, which holds one gradient row per entry of `rows`
 * ([rows.length * rowSize]), with slot state. A dense update is the single row 0 of the whole
 * parameter. One call per step and parameter, with the loops inline: a call per row or element
 * cost more than the arithmetic.
 */
type Rule = (p: Float32Array, slots: Float32Array[], rows: Int32Array, rowSize: number, g: Float32Array, step: number) => void;

const WHOLE = Int32Array.of(0);

export function createOptimizer(cfg: OptimizerConfig, store: ParamStore): Optimizer {
  const slotNames = cfg.type === 'adam' ? ['m', 'v'] : cfg.momentum > 0 ? ['acc', 'vel'] : ['acc'];
  return new SlotOptimizer(store, slotNames, cfg.type === 'adam' ? adamRule(cfg) : adagradRule(cfg));
}

function adagradRule(cfg: { lr: number; momentum: number; eps?: number }): Rule {
  const { lr, momentum } = cfg;
  const eps = cfg.eps ?? 1e-6;
  return (p, [acc, vel], rows, rowSize, g) => {
    if (!acc) throw new InternalError('adagrad without accumulator');
    for (let u = 0; u < rows.length; u++) {
      const base = (rows[u] as number) * rowSize;
      const gBase = u * rowSize;
      for (let k = 0; k < rowSize; k++) {
        const i = base + k;
        const gi = g[gBase + k] as number;
        const a = (acc[i] as number) + gi * gi;
        acc[i] = a;
        const step = (lr * gi) / Math.sqrt(a + eps);
        if (vel) {
          const v = momentum * (vel[i] as number) - step;
          vel[i] = v;
          p[i] = (p[i] as number) + v;
        } else {
          p[i] = (p[i] as number) - step;
        }
      }
    }
  };
}

function adamRule(cfg: { lr: number; beta1: number; beta2: number; eps: number }): Rule {
  const { lr, beta1, beta2, eps } = cfg;
  return (p, [m, v], rows, rowSize, g, step) => {
    if (!m || !v) throw new InternalError('adam without moments');
    const c1 = 1 - beta1 ** step;
    const c2 = 1 - beta2 ** step;
    for (let u = 0; u < rows.length; u++) {
      const base = (rows[u] as number) * rowSize;
      const gBase = u * rowSize;
      for (let k = 0; k < rowSize; k++) {
        const i = base + k;
        const gi = g[gBase + k] as number;
        const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
        const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = (p[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    }
  };
}

class SlotOptimizer implements Optimizer {
  private readonly slots = new Map<string, Float32Array>();
  private readonly steps = new Map<string, number>();
  /** Per item-indexed parameter: row -> position in the deduplicated list, -1 when absent. */
  private readonly rowSlot = new Map<string, Int32Array>();
  private summed = new Float32Array(0);

  constructor(
    private readonly store: ParamStore,
    private readonly slotNames: string[],
    private readonly rule: Rule,
  ) {}

  applyDense(name: string, grad: Float32Array): void {
    const p = this.store.get(name);
    if (grad.length !== p.length) throw new InternalError(`'${name}': gradient of ${grad.length} for ${p.length} values`);
    this.rule(p, this.slotsOf(name), WHOLE, p.length, grad, this.nextStep(name));
  }

  applySparse(name: string, rows: Int32Array, grad: Float32Array): void {
    const p = this.store.get(name);
    const rowSize = rowSizeOf(this.store.spec(name));
    if (grad.length !== rows.length * rowSize) throw new InternalError(`'${name}': sparse gradient size mismatch`);
    const unique = this.sumDuplicates(name, rows, grad, rowSize, p.length / rowSize);
    this.rule(p, this.slotsOf(name), unique, rowSize, this.summed, this.nextStep(name));
  }

  state(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [key, value] of this.slots) out[key] = value.slice();
    for (const [name, step] of this.steps) out[`${name}/step`] = Float32Array.of(step);
    return out;
  }

  loadState(s: Record<string, Float32Array>): void {
    this.slots.clear();
    this.steps.clear();
    for (const [key, value] of Object.entries(s)) {
      if (key.endsWith('/step')) this.steps.set(key.slice(0, -'/step'.length), value[0] ?? 0);
      else this.slots.set(key, value.slice());
    }
  }

  /** Deduplicate rows into `this.summed` ([unique * rowSize]); returns the unique rows in first-seen order. */
  private sumDuplicates(name: string, rows: Int32Array, grad: Float32Array, rowSize: number, nRows: number): Int32Array {
    let slot = this.rowSlot.get(name);
    if (!slot) {
      slot = new Int32Array(nRows).fill(-1);
      this.rowSlot.set(name, slot);
    }
    if (this.summed.length < grad.length) this.summed = new Float32Array(grad.length);
    const summed = this.summed;
    const unique = new Int32Array(rows.length);
    let nUnique = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      const from = i * rowSize;
      let u = slot[row] as number;
      if (u < 0) {
        u = nUnique++;
        slot[row] = u;
        unique[u] = row;
        summed.set(grad.subarray(from, from + rowSize), u * rowSize);
        continue;
      }
      const to = u * rowSize;
      for (let k = 0; k < rowSize; k++) summed[to + k] = (summed[to + k] as number) + (grad[from + k] as number);
    }
    for (let u = 0; u < nUnique; u++) slot[unique[u] as number] = -1;
    return unique.subarray(0, nUnique);
  }

  private slotsOf(name: string): Float32Array[] {
    const size = this.store.get(name).length;
    return this.slotNames.map((slotName) => {
      const key = `${name}/${slotName}`;
      let s = this.slots.get(key);
      if (!s) {
        s = new Float32Array(size);
        this.slots.set(key, s);
      }
      return s;
    });
  }

  private nextStep(name: string): number {
    const step = (this.steps.get(name) ?? 0) + 1;
    this.steps.set(name, step);
    return step;
  }
}

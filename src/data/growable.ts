/** An Int32Array that grows by doubling: columns of a log whose length is unknown up front. */
export class GrowableInt32 {
  private buf = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = value;
  }

  /** A copy trimmed to the pushed values. */
  toArray(): Int32Array {
    return this.buf.slice(0, this.length);
  }
}

/** A Float64Array that grows by doubling. */
export class GrowableFloat64 {
  private buf = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = value;
  }

  toArray(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}

/** Maps id strings to dense ints in order of first appearance. */
export class Interner {
  private readonly index = new Map<string, number>();
  readonly ids: string[] = [];

  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  get size(): number {
    return this.ids.length;
  }
}

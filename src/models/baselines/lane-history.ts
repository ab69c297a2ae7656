import type { Batch } from '../../data/batch.js';
import { InternalError } from '../../util/errors.js';

/**
 * Each lane's session so far (its input items, oldest first), kept in step with the evaluator's
 * batches: a row with sessionStart = 1 starts afresh, and when the batch shrank, `keepRows`
 * says which previous lane each row continues.
 */
export class LaneHistory {
  private lanes: number[][] = [];

  advance(batch: Batch): void {
    if (batch.keepRows) {
      if (batch.keepRows.length !== batch.size) {
        throw new InternalError(`keepRows has ${batch.keepRows.length} rows for a batch of ${batch.size}`);
      }
      this.lanes = Array.from(batch.keepRows, (prev) => this.lane(prev));
    } else if (this.lanes.length !== batch.size) {
      if (this.lanes.length > 0) {
        throw new InternalError(`batch size changed from ${this.lanes.length} to ${batch.size} without keepRows`);
      }
      this.lanes = Array.from({ length: batch.size }, () => []);
    }
    for (let r = 0; r < batch.size; r++) {
      if (batch.sessionStart[r] === 1) this.lanes[r] = [];
      this.lane(r).push(batch.inputIds[r] ?? 0);
    }
  }

  /** The items of row `row`'s current session, including this step's input. */
  session(row: number): readonly number[] {
    return this.lane(row);
  }

  private lane(row: number): number[] {
    const lane = this.lanes[row];
    if (!lane) throw new InternalError(`no lane ${row} (of ${this.lanes.length})`);
    return lane;
  }
}

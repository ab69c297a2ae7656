/**
 * One step of parallel mini-batching (session-parallel for GRU4Rec, user-parallel for HRNN),
 * still plain typed arrays. Produced by data/batches.ts, consumed by trainers and evaluators.
 * Row r of every array describes the same lane.
 */
export interface Batch {
  /** Number of rows (active lanes) in this step. */
  readonly size: number;
  /** Input item of each row, [size]. */
  readonly inputIds: Int32Array;
  /** Target (next) item of each row, [size]. */
  readonly targetIds: Int32Array;
  /** 1 where this step is the first step of a new session: the session state is reset. */
  readonly sessionStart: Uint8Array;
  /** 1 where this step is the first step of a new user's first session: user state reset too. */
  readonly userStart: Uint8Array;
  /**
   * When lanes ran dry and the batch shrank: the rows of the previous step's state that carry
   * over, in this step's row order. Null when the rows are unchanged.
   */
  readonly keepRows: Int32Array | null;
  /** Index of the input event in the dataset's `items` array, [size]. */
  readonly inputEvent: Int32Array;
  /** User index (of the dataset) of each row, [size]. */
  readonly userIndex: Int32Array;
  /** Session index (of the dataset) of each row, [size]. */
  readonly sessionIndex: Int32Array;
  /** 1 where the prediction of this row is evaluated (evaluation only; training: all 1). */
  readonly scored: Uint8Array;
}

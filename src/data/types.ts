/**
 * The typed data that flows from the loaders to the models. Plain typed arrays, no tfjs.
 *
 * A SessionDataset stores sessions CSR-style (as GRU4Rec's offset_sessions): the events of
 * session s are items[sessionOffsets[s] .. sessionOffsets[s+1]). Sessions are grouped by user
 * and ordered by time within a user: the sessions of user u are
 * sessionOffsets-indices userOffsets[u] .. userOffsets[u+1]. A log without a user column gets
 * one pseudo-user per session, so every dataset has users.
 */
export interface ItemIndex {
  /** Original item id of each dense index. */
  readonly ids: readonly string[];
  /** Dense index of each original item id. */
  readonly indexOf: ReadonlyMap<string, number>;
}

export interface SessionDataset {
  /** Dense item index of every event, [nEvents]. */
  readonly items: Int32Array;
  /** Unix seconds of every event, [nEvents]. */
  readonly times: Float64Array;
  /** Start of each session in `items`, plus the end: [nSessions + 1]. */
  readonly sessionOffsets: Int32Array;
  /** First session of each user, plus the end: [nUsers + 1]. */
  readonly userOffsets: Int32Array;
  /** Original user id of each user index (the session id for pseudo-users). */
  readonly userIds: readonly string[];
  /** Original session id of each session (or a generated one for gap sessions). */
  readonly sessionIds: readonly string[];
}

/** Rows or events removed by each named reason, in pipeline order. */
export type DropCounts = Record<string, number>;

export interface SplitStats {
  users: number;
  items: number;
  sessions: number;
  events: number;
  eventsPerSession: number;
  sessionsPerUser: number;
}

/** The output of `hrnn prepare`: splits aligned to one item index. */
export interface PreparedData {
  readonly items: ItemIndex;
  readonly train: SessionDataset;
  readonly test: SessionDataset;
  /** Last-session split applied again to train (training part), when configured. */
  readonly validTrain?: SessionDataset;
  readonly validTest?: SessionDataset;
  /** True when the log has a user column (false: one pseudo-user per session). */
  readonly hasUsers: boolean;
  /** What the cleaning and filtering removed, by reason. */
  readonly dropped: DropCounts;
  readonly stats: Record<string, SplitStats>;
}

/** Optional item metadata: item original id -> values per metadata field. */
export interface ItemMetadata {
  readonly fields: readonly string[];
  readonly values: ReadonlyMap<string, readonly string[][]>;
}

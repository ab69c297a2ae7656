import type { DropCounts, ItemIndex, SessionDataset } from './types.js';

/**
 * Re-encode a dataset prepared with one item index (`from`) into another (`to`), e.g. to
 * evaluate a saved model on other data. Events whose item the target index lacks are dropped,
 * then sessions left shorter than `minSessionLength`; both are counted in `dropped`.
 */
export function remapDataset(
  data: SessionDataset,
  from: ItemIndex,
  to: ItemIndex,
  options: { minSessionLength: number; dropped: DropCounts; label: string },
): SessionDataset {
  const translate = new Int32Array(from.ids.length).fill(-1);
  from.ids.forEach((id, i) => {
    translate[i] = to.indexOf.get(id) ?? -1;
  });
  const items: number[] = [];
  const times: number[] = [];
  const sessionOffsets: number[] = [0];
  const sessionIds: string[] = [];
  const userOffsets: number[] = [0];
  let unknownEvents = 0;
  let shortSessions = 0;
  for (let u = 0; u + 1 < data.userOffsets.length; u++) {
    for (let s = data.userOffsets[u] as number; s < (data.userOffsets[u + 1] as number); s++) {
      const start = items.length;
      for (let e = data.sessionOffsets[s] as number; e < (data.sessionOffsets[s + 1] as number); e++) {
        const mapped = translate[data.items[e] as number] as number;
        if (mapped < 0) {
          unknownEvents++;
          continue;
        }
        items.push(mapped);
        times.push(data.times[e] as number);
      }
      if (items.length - start < options.minSessionLength) {
        shortSessions++;
        items.length = start;
        times.length = start;
        continue;
      }
      sessionOffsets.push(items.length);
      sessionIds.push(data.sessionIds[s] as string);
    }
    userOffsets.push(sessionIds.length);
  }
  options.dropped[`${options.label}: events of items unknown to the model`] = unknownEvents;
  options.dropped[`${options.label}: sessions shorter than ${options.minSessionLength} after that`] = shortSessions;
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(times),
    sessionOffsets: Int32Array.from(sessionOffsets),
    userOffsets: Int32Array.from(userOffsets),
    userIds: data.userIds,
    sessionIds,
  };
}

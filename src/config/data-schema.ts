import { z } from 'zod';

/**
 * The `data:` section: where the log is, how its columns map, how it is cleaned, sessionised,
 * filtered and split. Defaults are the HRNN paper's preprocessing (Quadrana et al. 2017, XING).
 */
export const columnsSchema = z
  .object({
    user: z.string().optional().describe('column with the user id; omit for session-only logs (each session is its own user)'),
    session: z.string().optional().describe('column with the session id; omit to cut sessions per user by idle gap'),
    item: z.string().describe('column with the item id'),
    time: z.string().describe('column with the event time (format: data.timeFormat)'),
  })
  .strict();

const filterOps = ['empty', 'matches', 'notMatches', 'startsWith', 'below', 'atMost'] as const;

export const rowFilterSchema = z
  .object({
    column: z.string().describe('column the rule reads'),
    empty: z.literal(true).optional().describe('drop rows where the column is empty'),
    matches: z.string().optional().describe('drop rows where the column matches this regular expression'),
    notMatches: z.string().optional().describe('drop rows where the column does not match this regular expression'),
    startsWith: z.string().optional().describe('drop rows where the column starts with this text'),
    below: z.number().optional().describe('drop rows where the column is a number < this'),
    atMost: z.number().optional().describe('drop rows where the column is a number <= this'),
  })
  .strict()
  .refine((f) => filterOps.filter((op) => f[op] !== undefined).length === 1, {
    message: `each filter needs exactly one of: ${filterOps.join(', ')}`,
  });

export const splitSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('last-session').describe("each user's last session is the test session (HRNN paper)") })
    .strict(),
  z
    .object({
      type: z.literal('time').describe('sessions ending in the last `days` days are the test set (GRU4Rec)'),
      days: z.number().positive().default(1).describe('length of the test period in days'),
    })
    .strict(),
]);

export const dataSchema = z
  .object({
    path: z.string().describe('the event log: .csv, .tsv, .txt or .gz of those (relative to the config file)'),
    testPath: z
      .string()
      .optional()
      .describe('a separate test log in the same format (relative to the config file): train = data.path, test = this file; no cutting, test clean-up still applies'),
    delimiter: z.string().optional().describe('field separator; default: tab for .tsv/.txt, comma otherwise'),
    header: z.boolean().default(true).describe('the first line holds column names'),
    columnNames: z.array(z.string()).optional().describe('column names for a file without a header row'),
    columns: columnsSchema,
    timeFormat: z
      .enum(['unix-seconds', 'unix-ms', 'iso8601', 'datetime'])
      .default('unix-seconds')
      .describe('unix-seconds | unix-ms | iso8601 | datetime (YYYY-MM-DD HH:MM:SS, read as UTC)'),
    filters: z.array(rowFilterSchema).default([]).describe('row filters applied while reading, in order'),
    sessionGapSeconds: z.number().positive().default(1800).describe('idle gap that starts a new session (no session column)'),
    dedup: z
      .enum(['none', 'consecutive', 'session'])
      .default('session')
      .describe('drop repeated items: none | consecutive repeats | any repeat within a session (keep first)'),
    minItemSupport: z.number().int().min(1).default(20).describe('keep items with at least this many events'),
    minSessionLength: z.number().int().min(1).default(3).describe('keep sessions with at least this many events'),
    minSessionsPerUser: z.number().int().min(1).default(5).describe('keep users with at least this many sessions'),
    maxSessionsPerUser: z.number().int().min(0).default(200).describe('keep users with fewer than this many sessions (0: no limit)'),
    iterateFilters: z.boolean().default(false).describe('repeat the item/session/user filters until nothing changes'),
    split: splitSchema.prefault({ type: 'last-session' }).describe('how the test set is cut off'),
    validation: z.boolean().default(true).describe('also split train again the same way into valid_train / valid_test'),
    minTestSessionLength: z.number().int().min(2).default(2).describe('drop test sessions shorter than this after unseen items are removed'),
    cacheDir: z.string().default('.hrnn-cache').describe('where prepared splits are cached (relative to the working directory)'),
  })
  .strict();

export type DataConfig = z.infer<typeof dataSchema>;
export type RowFilter = z.infer<typeof rowFilterSchema>;

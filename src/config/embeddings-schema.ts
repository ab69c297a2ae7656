import { z } from 'zod';

/**
 * The `prod2vec:` section: item embeddings trained with skip-gram negative sampling over the
 * training sessions (prod2vec, Grbovic et al. 2015) and with item metadata in the same space
 * (Meta-Prod2vec, Vasile et al. RecSys 2016). Defaults follow the Deezer reproduction of
 * Caselles-Dupré et al. (RecSys 2018) and gensim's word2vec.
 */
export const metadataFieldSchema = z
  .object({
    column: z.string().describe('metadata column of the metadata file (e.g. genres, Description)'),
    split: z.string().optional().describe('separator of several values in one cell, e.g. "|" for MovieLens genres'),
    derive: z
      .enum(['lastWord'])
      .optional()
      .describe(
        'derive the value from free text. lastWord (the product-type noun): upper-case; every character other than ' +
          'A-Z becomes a space; drop one-letter words and the size/colour/pack/unit words listed in ' +
          'src/embeddings/metadata.ts (SMALL, LARGE, RED, PINK, SET, OF, PACK, CM, ...); take the last remaining word; ' +
          'drop a plural S (not SS) from words longer than 3 letters; no word left: no value. ' +
          '"SET OF 3 CAKE TINS PINK" -> TIN, "PINK CHERRY LIGHTS" -> LIGHT',
      ),
  })
  .strict();

export const metadataSchema = z
  .object({
    path: z.string().describe('metadata file (.csv/.tsv/.gz; relative to the config file); may be the event log itself'),
    delimiter: z.string().optional().describe('field separator; default: tab for .tsv/.txt, comma otherwise'),
    header: z.boolean().default(true).describe('the first line holds column names'),
    columnNames: z.array(z.string()).optional().describe('column names for a file without a header row'),
    itemColumn: z.string().describe('column with the item id (matches data.columns.item); the first row of an item wins'),
    fields: z.array(metadataFieldSchema).min(1).describe('metadata fields; each field has its own value vocabulary'),
  })
  .strict();

export const lambdasSchema = z
  .object({
    mi: z.number().min(0).default(1).describe('weight of M|I: predict context items\' metadata from the item'),
    jm: z.number().min(0).default(1).describe('weight of J|M: predict context items from the item\'s metadata'),
    mm: z.number().min(0).default(1).describe('weight of M|M: predict context metadata from the item\'s metadata'),
    im: z.number().min(0).default(1).describe('weight of I|M: predict the item from its own metadata'),
  })
  .strict();

export const embeddingEvalSchema = z
  .object({
    cutoffs: z.array(z.number().int().positive()).min(1).default([10, 20]).describe('list lengths k of Hit@k and NDCG@k'),
    coldMaxCount: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('cold/tail pairs: test pairs (a, b) where b followed a at most this many times in training'),
    mixWeight: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('mixture score = w * (co-occurrence / its max for the query) + (1 - w) * cosine; 0..1'),
  })
  .strict();

export const prod2vecVariants = ['prod2vec', 'meta-prod2vec'] as const;

export const prod2vecSchema = z
  .object({
    metadata: metadataSchema.optional().describe('item metadata; required by the meta-prod2vec variant'),
    dim: z.number().int().positive().default(50).describe('embedding dimension'),
    window: z.number().int().positive().default(3).describe('context items on each side of an item'),
    dynamicWindow: z.boolean().default(true).describe('shrink the window to a uniform 1..window per item (word2vec)'),
    negatives: z.number().int().min(1).default(5).describe('negative samples per positive pair'),
    negativeExponent: z
      .number()
      .default(0.75)
      .describe('noise distribution = count^exponent (0.75 word2vec; negative values favour rare items)'),
    subsample: z
      .number()
      .min(0)
      .default(1e-4)
      .describe('frequent-item subsampling threshold t (word2vec formula; 0: off)'),
    epochs: z.number().int().positive().default(10).describe('passes over the training sessions'),
    lr: z.number().positive().default(0.025).describe('initial learning rate, decayed linearly to minLr'),
    minLr: z.number().min(0).default(0.0001).describe('learning rate at the end of training'),
    lambdas: lambdasSchema.prefault({}).describe('Meta-Prod2vec term weights (0 everywhere = prod2vec)'),
    variants: z
      .array(z.enum(prod2vecVariants))
      .min(1)
      .default([...prod2vecVariants])
      .describe('embeddings trained and compared: prod2vec | meta-prod2vec'),
    eval: embeddingEvalSchema.prefault({}).describe('next-event evaluation of the embeddings alone'),
    exportDir: z
      .string()
      .optional()
      .describe('also write each variant as <exportDir>/<variant>.f32/.json, a stable path for models.N.itemEmbeddings.path (relative to the config file)'),
  })
  .strict();

export type Prod2vecConfig = z.infer<typeof prod2vecSchema>;
export type MetadataConfig = z.infer<typeof metadataSchema>;
export type MetadataFieldConfig = z.infer<typeof metadataFieldSchema>;
export type Lambdas = z.infer<typeof lambdasSchema>;
export type EmbeddingEvalConfig = z.infer<typeof embeddingEvalSchema>;
export type Prod2vecVariant = (typeof prod2vecVariants)[number];

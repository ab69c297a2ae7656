import { z } from 'zod';

/**
 * Neural sequence models: GRU4Rec (Hidasi et al. 2016/2018, defaults of the official PyTorch
 * code) and HRNN (Quadrana et al. 2017, defaults of the paper's small Init net).
 */
const name = z.string().optional().describe('label in reports (default: the type)');

const adagradSchema = (lr: number) =>
  z
    .object({
      type: z.literal('adagrad').describe('Adagrad with heavy-ball momentum (the reference codes\' default)'),
      lr: z.number().positive().default(lr).describe('learning rate'),
      momentum: z.number().min(0).lt(1).default(0).describe('heavy-ball momentum on the Adagrad-scaled gradient (0: none)'),
    })
    .strict();

const adamSchema = z
  .object({
    type: z.literal('adam').describe('Adam, lazy (row-sparse) for item-indexed parameters'),
    lr: z.number().positive().default(0.001).describe('learning rate'),
    beta1: z.number().min(0).lt(1).default(0.9).describe('first-moment decay'),
    beta2: z.number().min(0).lt(1).default(0.999).describe('second-moment decay'),
    eps: z.number().positive().default(1e-8).describe('denominator epsilon'),
  })
  .strict();

/** The optimizer entry; `lr` is the model's default Adagrad learning rate. */
const optimizerSchema = (lr: number) => z.discriminatedUnion('type', [adagradSchema(lr), adamSchema]);

const lossSchema = z
  .enum(['cross-entropy', 'bpr', 'top1', 'bpr-max', 'top1-max'])
  .describe('ranking loss over [batch targets ; shared samples]');

const embeddingSchema = z
  .enum(['onehot', 'separate', 'constrained'])
  .describe('item input: onehot (row lookup of the input weights) | separate (own embedding, embeddingDim) | constrained (input = output item matrix)');

const earlyStoppingSchema = z
  .object({
    patience: z.number().int().positive().default(2).describe('epochs without improvement before stopping'),
    metric: z.string().regex(/^(recall|mrr)@\d+$/, 'recall@K or mrr@K').default('mrr@20').describe('validation metric to maximise'),
  })
  .strict();

const itemEmbeddingsSchema = z
  .object({
    path: z.string().describe('embedding base path written by hrnn prod2vec (<path>.f32 + <path>.json; relative to the config file)'),
    mode: z
      .enum(['init', 'freeze', 'concat'])
      .describe('init: the input embedding starts from the vectors and is fine-tuned | freeze: starts from them, never updated | concat: [learned item input ; fixed vector]'),
    projection: z
      .boolean()
      .default(false)
      .describe('init/freeze when the file\'s dim differs: separate: a trainable [dim, embeddingDim] map; constrained: out.W starts as the vectors times a random Glorot [dim, units] map'),
  })
  .strict();

/** Fields both models share; each model overrides the defaults that differ. */
const common = {
  name,
  embeddingDim: z.number().int().positive().default(100).describe("size of the item embedding when embedding is 'separate'"),
  finalAct: z.string().optional().describe('final activation (e.g. tanh, linear, elu-0.5); default: the loss\'s own'),
  sampleAlpha: z.number().min(0).max(1).default(0.5).describe('shared samples drawn with probability support^alpha (0 uniform, 1 popularity)'),
  bpreg: z.number().min(0).default(1).describe('score regulariser of bpr-max'),
  logQ: z.number().min(0).default(0).describe('weight of the log-q sampling correction subtracted from the scores (cross-entropy)'),
  earlyStopping: earlyStoppingSchema.optional().describe('stop when the validation metric stops improving (needs data.validation)'),
  itemEmbeddings: itemEmbeddingsSchema.optional().describe('pretrained item vectors (hrnn prod2vec) plugged into the item input; saved with the model'),
};

export const gru4recSchema = z
  .object({
    type: z.literal('gru4rec'),
    ...common,
    layers: z.array(z.number().int().positive()).min(1).default([100]).describe('units of each GRU layer'),
    cell: z
      .enum(['reset-before', 'reset-after'])
      .default('reset-before')
      .describe("GRU form: reset-before scales the state before U_n (Theano code, one-hot PyTorch mode); reset-after scales h U_n + b_hn, with a recurrent bias (PyTorch's GRUCell, the official embedding modes)"),
    embedding: embeddingSchema.default('constrained'),
    loss: lossSchema.default('cross-entropy'),
    nSample: z.number().int().min(0).default(2048).describe('shared negative samples per mini-batch (0: in-batch only)'),
    logQ: z.number().min(0).default(1).describe('weight of the log-q sampling correction (cross-entropy only)'),
    dropoutEmbed: z.number().min(0).lt(1).default(0).describe('dropout on the input embedding (onehot: on the first layer output)'),
    dropoutHidden: z.number().min(0).lt(1).default(0).describe('dropout on each GRU layer output (the stored state)'),
    batchSize: z.number().int().positive().default(64).describe('parallel session lanes'),
    epochs: z.number().int().positive().default(10).describe('training epochs'),
    optimizer: optimizerSchema(0.05).prefault({ type: 'adagrad' }).describe('optimizer'),
    concatUserSessions: z.boolean().default(false).describe('RNN Concat: lanes over users, state kept across a user\'s sessions'),
  })
  .strict();

export const hrnnSchema = z
  .object({
    type: z.literal('hrnn'),
    ...common,
    variant: z.enum(['init', 'all']).default('init').describe('init: user state initialises sessions; all: also feeds the r,z gates every step'),
    sessionUnits: z.number().int().positive().default(100).describe('units of the session GRU'),
    userUnits: z.number().int().positive().default(100).describe('units of the user GRU'),
    embedding: embeddingSchema.default('onehot'),
    loss: lossSchema.default('top1'),
    finalAct: z.string().default('tanh').describe('final activation (the paper: tanh with TOP1)'),
    nSample: z.number().int().min(0).default(0).describe('shared negative samples per mini-batch (0: in-batch only, the paper)'),
    dropoutUser: z.number().min(0).lt(1).default(0).describe('dropout on the user GRU output'),
    dropoutSession: z.number().min(0).lt(1).default(0.1).describe('dropout on the session GRU output (the stored state)'),
    dropoutInit: z.number().min(0).lt(1).default(0).describe('dropout on the user-to-session initialisation'),
    legacyInitBug: z.boolean().default(false).describe('reproduce the pre-2019 code: the first step interpolates with the previous state'),
    truncateEpoch: z.boolean().default(false).describe('end each epoch when one lane runs out of users (the original code)'),
    batchSize: z.number().int().positive().default(50).describe('parallel user lanes'),
    epochs: z.number().int().positive().default(10).describe('training epochs'),
    optimizer: optimizerSchema(0.1).prefault({ type: 'adagrad' }).describe('optimizer'),
  })
  .strict();

export const neuralSchemas = [gru4recSchema, hrnnSchema] as const;

export type Gru4recConfig = z.infer<typeof gru4recSchema>;
export type HrnnConfig = z.infer<typeof hrnnSchema>;
export type NeuralConfig = Gru4recConfig | HrnnConfig;
export type NeuralOptimizerConfig = NeuralConfig['optimizer'];
export type ItemEmbeddingsConfig = z.infer<typeof itemEmbeddingsSchema>;

/** Why a model cannot take its itemEmbeddings whatever the file holds (null: it can); one place for rules and factory. */
export function itemEmbeddingsIssue(model: NeuralConfig): string | null {
  const emb = model.itemEmbeddings;
  if (emb === undefined) return null;
  if (model.embedding === 'onehot' && emb.mode !== 'concat') {
    return `mode ${emb.mode} needs an input embedding and embedding: onehot has none (its input weights are item rows of width 3 x units); use embedding: separate or constrained, or mode: concat`;
  }
  if (emb.mode === 'concat' && emb.projection) return 'projection has no effect with concat (in.W already maps the pretrained part linearly); drop it';
  return null;
}

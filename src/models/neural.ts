import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelConfig } from '../config/model-schema.js';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../config/neural-schema.js';
import { evalSchema } from '../config/eval-schema.js';
import type { SessionDataset } from '../data/types.js';
import { evaluateModel } from '../eval/evaluate.js';
import { fitNeural } from '../train/trainer.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InternalError, UserError } from '../util/errors.js';
import { silentProgress } from '../util/progress.js';
import type { Rng } from '../util/rng.js';
import { Gru4recNet } from './gru4rec.js';
import { HrnnNet } from './hrnn.js';
import { storedPretrainedDim, type PretrainedItems } from './item-embedding-source.js';
import { ParamStore } from './layers/param-store.js';
import { NeuralPredictor } from './neural-predictor.js';
import { evalActivation, type SequenceNet } from './session-step.js';
import type { FitContext, FitResult, Predictor, Recommender } from './types.js';

/** GRU4Rec or HRNN as a Recommender: a SequenceNet plus training, evaluation and persistence. */
export class NeuralModel implements Recommender {
  readonly name: string;
  readonly usesUserHistory: boolean;

  constructor(
    readonly cfg: NeuralConfig,
    readonly net: SequenceNet,
    readonly nItems: number,
    /** Items the pretrained vectors had no vector for (reported by fit), when they were just loaded. */
    private readonly itemsWithoutVector?: number,
  ) {
    this.name = cfg.name ?? cfg.type;
    this.usesUserHistory = cfg.type === 'hrnn' || cfg.concatUserSessions;
  }

  async fit(train: SessionDataset, context: FitContext): Promise<FitResult> {
    const emb = this.cfg.itemEmbeddings;
    if (emb === undefined || this.itemsWithoutVector === undefined) {
      return fitNeural(train, context, { net: this.net, cfg: this.cfg, nItems: this.nItems, ...this.validation(context) });
    }
    const info = { path: emb.path, mode: emb.mode, itemsWithoutVector: this.itemsWithoutVector };
    context.progress.info(`${this.name}: item embeddings ${emb.mode} from ${emb.path}; ${info.itemsWithoutVector} of ${this.nItems} items without a vector`);
    context.logEpoch?.({ itemEmbeddings: info });
    const result = await fitNeural(train, context, { net: this.net, cfg: this.cfg, nItems: this.nItems, ...this.validation(context) });
    return { ...result, itemsWithoutVector: info.itemsWithoutVector };
  }

  predictor(_data: SessionDataset): Predictor {
    return new NeuralPredictor(this.net, this.nItems, evalActivation(this.cfg.loss, this.cfg.finalAct));
  }

  async save(dir: string): Promise<void> {
    await this.net.store.save(join(dir, 'params'));
    await writeFileAtomic(join(dir, 'model.json'), JSON.stringify({ config: this.cfg, nItems: this.nItems }, null, 1));
  }

  dispose(): void {
    // Parameters are JS arrays and predictors own their tensors: nothing to release here.
  }

  /** Early stopping's validation metric, computed with the shared evaluator. */
  private validation(context: FitContext): { validate?: () => Promise<number> } {
    const es = this.cfg.earlyStopping;
    const split = context.validation;
    if (!es || !split) return {};
    return {
      validate: async () => {
        const cutoff = Number(es.metric.split('@')[1]);
        const evalCfg = evalSchema.parse({ cutoffs: [cutoff], tieBreak: 'optimistic', bootstrapSamples: 0 });
        const result = await evaluateModel(this, split, evalCfg, { progress: silentProgress, nItems: this.nItems });
        return result.metrics[es.metric] ?? Number.NaN;
      },
    };
  }
}

/** An untrained GRU4Rec or HRNN; weights drawn from rng.fork('init'); `pretrained` as cfg.itemEmbeddings says. */
export function createNeuralModel(cfg: NeuralConfig, nItems: number, rng: Rng, pretrained?: PretrainedItems): NeuralModel {
  if (cfg.itemEmbeddings !== undefined && pretrained === undefined) throw new InternalError('itemEmbeddings configured, no vectors loaded');
  const init = rng.fork('init');
  const net = cfg.type === 'hrnn' ? HrnnNet.create(cfg, nItems, init, pretrained) : Gru4recNet.create(cfg, nItems, init, pretrained);
  return new NeuralModel(cfg, net, nItems, pretrained?.nWithoutVector);
}

/** A model written by NeuralModel.save. */
export async function loadNeuralModel(dir: string): Promise<NeuralModel> {
  const where = join(dir, 'model.json');
  let raw: { config?: unknown; nItems?: unknown };
  try {
    raw = JSON.parse(await readFile(where, 'utf8')) as typeof raw;
  } catch {
    throw new UserError('no saved neural model here (model.json missing or unreadable)', { where });
  }
  const cfg = parseNeuralConfig(raw.config, where);
  if (typeof raw.nItems !== 'number') throw new UserError('model.json: nItems missing', { where });
  const store = await ParamStore.load(join(dir, 'params'));
  // Pretrained vectors are parameters of the saved model: the embedding file is not read again.
  const dim = storedPretrainedDim(store);
  const net = cfg.type === 'hrnn' ? new HrnnNet(store, cfg, raw.nItems, dim) : new Gru4recNet(store, cfg, raw.nItems, dim);
  return new NeuralModel(cfg, net, raw.nItems);
}

export function isNeuralConfig(cfg: ModelConfig): cfg is NeuralConfig {
  return cfg.type === 'gru4rec' || cfg.type === 'hrnn';
}

function parseNeuralConfig(raw: unknown, where: string): NeuralConfig {
  const type = (raw as { type?: unknown } | null)?.type;
  const parsed = type === 'hrnn' ? hrnnSchema.safeParse(raw) : gru4recSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`model.json: invalid config: ${parsed.error.issues[0]?.message ?? ''}`, { where });
  return parsed.data;
}

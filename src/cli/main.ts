import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { UserError } from '../util/errors.js';

/** Options every command that loads a config shares. */
export interface CommonOptions {
  config: string;
  set: string[];
  data?: string;
  backend?: string;
  quiet: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function addConfigOptions(cmd: Command, configRequired = true): Command {
  const config = new Option('-c, --config <file>', 'experiment config (YAML)').makeOptionMandatory(configRequired);
  return cmd
    .addOption(config)
    .option('--set <key=value>', 'override a config value, e.g. --set eval.cutoffs=[5,20] (repeatable)', collect, [])
    .option('--data <path>', 'use this event log instead of data.path')
    .option('-q, --quiet', 'print only the final report and errors', false);
}

const backendOption = new Option('--backend <name>', 'TensorFlow.js backend (default: fastest that loads)').choices([
  'node-gpu',
  'node',
  'wasm',
  'cpu',
]);

export function buildProgram(): Command {
  const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
  const program = new Command('hrnn')
    .version(version)
    .description('Train and compare next-item recommenders (HRNN, GRU4Rec, baselines) on session logs')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  addConfigOptions(program.command('prepare').description('clean, sessionise, filter and split a log; cache it and print the dataset table'))
    .action(async (opts: CommonOptions) => (await import('./commands/prepare.js')).prepareCommand(opts));

  addConfigOptions(program.command('prod2vec').description('train prod2vec / Meta-Prod2vec item embeddings, evaluate them and write a run folder'))
    .action(async (opts: CommonOptions) => (await import('./commands/prod2vec.js')).prod2vecCommand(opts));

  addConfigOptions(
    program.command('train').description('prepare data, train every model in the config, evaluate and write a run folder'),
    false,
  )
    .addOption(backendOption)
    .option('--resume <runDir>', 'continue an interrupted run (a .partial folder) from its last checkpoints')
    .action(async (opts: Partial<CommonOptions> & Omit<CommonOptions, 'config'> & { resume?: string }) =>
      (await import('./commands/train.js')).trainCommand(opts),
    );

  program
    .command('eval')
    .description('re-evaluate the models saved in a run folder, optionally with another config or data')
    .requiredOption('-r, --run <dir>', 'run folder written by hrnn train')
    .option('-c, --config <file>', 'config to evaluate with (default: the run\'s own config)')
    .option('--set <key=value>', 'override a config value (repeatable)', collect, [])
    .option('--data <path>', 'use this event log instead of data.path')
    .option('-q, --quiet', 'print only the final report and errors', false)
    .addOption(backendOption)
    .action(async (opts: { run: string; config?: string; set: string[]; data?: string; quiet: boolean; backend?: string }) =>
      (await import('./commands/eval.js')).evalCommand(opts),
    );

  program
    .command('score')
    .description('compute every metric from a per-event ranks file (ours or another tool\'s)')
    .argument('<ranksFile>', 'CSV with columns user,session,position,item,rank[,score]')
    .option('--cutoffs <list>', 'comma-separated cutoffs', '5,10,20')
    .option('--legacy-cutoff-lt', 'count a hit when rank < k', false)
    .option('--bootstrap <n>', 'bootstrap resamples for confidence intervals', '1000')
    .option('--seed <n>', 'seed of the bootstrap', '42')
    .action(async (file: string, opts: { cutoffs: string; legacyCutoffLt: boolean; bootstrap: string; seed: string }) =>
      (await import('./commands/score.js')).scoreCommand(file, opts),
    );

  program
    .command('config-reference')
    .description('print every config key with its type, default and meaning (Markdown, generated from the schema)')
    .action(async () => {
      process.stdout.write((await import('../config/reference.js')).configReference());
    });

  return program;
}

/** Run the CLI; returns the exit code. The one place that turns errors into exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError) {
      process.stderr.write(`hrnn: error: ${err.format()}\n`);
      return err.exitCode;
    }
    process.stderr.write(`hrnn: internal error (this is a bug, please report it):\n${err instanceof Error ? err.stack : String(err)}\n`);
    return 70;
  }
}

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const demoEvents = resolve('datasets/online-retail-demo/events.csv');

/** Run the CLI in-process; returns the exit code and what it printed. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hrnn-cli-'));
});
afterEach(() => vi.restoreAllMocks());

function writeConfig(models: string, extra = ''): string {
  const file = join(work, 'exp.yaml');
  writeFileSync(
    file,
    `experiment: { name: cli-test, seed: 3, outDir: ${join(work, 'runs')} }
data:
  path: ${demoEvents}
  columns: { user: user_id, session: session_id, item: item_id, time: timestamp }
  minItemSupport: 5
  minSessionLength: 2
  minSessionsPerUser: 3
  cacheDir: ${join(work, 'cache')}
eval: { cutoffs: [5, 20], bootstrapSamples: 200, ranksFile: true }
models:
${models}
${extra}`,
  );
  return file;
}

describe('hrnn train / eval on the bundled Online Retail demo', () => {
  it('trains the baselines, Item-KNN beats Pop, and eval of the run reproduces the metrics', async () => {
    const config = writeConfig('  - type: pop\n  - type: itemknn');
    const train = await runCli(['train', '--config', config, '--quiet']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const runDir = /run folder: (.+)/.exec(train.stdout)?.[1] ?? '';
    expect(runDir.endsWith('.partial')).toBe(false);
    for (const file of ['config.resolved.yaml', 'manifest.json', 'metrics.json', 'metrics.md', 'item-index.json', 'ranks-itemknn.csv']) {
      expect(existsSync(join(runDir, file)), file).toBe(true);
    }
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    const byModel = Object.fromEntries(metrics.comparison.models.map((m: { model: string }) => [m.model, m]));
    const recall = (m: string): number => byModel[m].metrics['recall@20'].value;
    expect(recall('itemknn')).toBeGreaterThan(2 * recall('pop'));

    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.seed).toBe(3);
    expect(manifest.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);

    const again = await runCli(['eval', '--run', runDir, '--quiet']);
    expect(again.code).toBe(0);
    const evalDir = /run folder: (.+)/.exec(again.stdout)?.[1] ?? '';
    const evalMetrics = JSON.parse(readFileSync(join(evalDir, 'metrics.json'), 'utf8'));
    expect(evalMetrics.comparison.models.map((m: { metrics: unknown }) => m.metrics)).toEqual(
      metrics.comparison.models.map((m: { metrics: unknown }) => m.metrics),
    );

    // `hrnn score` on the ranks file gives the same recall as the run itself.
    const scored = await runCli(['score', join(runDir, 'ranks-itemknn.csv'), '--cutoffs', '20']);
    expect(scored.code).toBe(0);
    expect(scored.stdout).toContain(recall('itemknn').toFixed(4).replace(/^0/, ''));
  });
});

describe('hrnn errors', () => {
  it('exits 2 with the config key on an unknown key, and writes no run folder', async () => {
    const config = writeConfig('  - type: pop', 'evaluation: {}');
    const r = await runCli(['train', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exp\.yaml:\d+ \(root\): Unrecognized key.*evaluation/);
    expect(existsSync(join(work, 'runs'))).toBe(false);
  });

  it('exits 1 naming the file when the data file is missing', async () => {
    const config = writeConfig('  - type: pop');
    const r = await runCli(['train', '--config', config, '--data', join(work, 'nope.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.csv/);
  });

  it('exits 2 on an unknown command and lists the commands in --help', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const help = await runCli(['--help']);
    for (const command of ['train', 'eval', 'prepare', 'prod2vec', 'score', 'config-reference']) expect(help.stdout + help.stderr).toContain(command);
  });
});

describe('hrnn train / eval / resume with neural models', () => {
  const neural = `  - type: gru4rec
    layers: [16]
    nSample: 32
    batchSize: 32
    epochs: 1
  - type: hrnn
    sessionUnits: 16
    userUnits: 16
    batchSize: 16
    epochs: 1`;

  it('restores saved GRU4Rec and HRNN weights: eval and an interrupted-then-resumed run give the same metrics', async () => {
    const config = writeConfig(neural);
    const train = await runCli(['train', '--config', config, '--quiet', '--backend', 'wasm']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const runDir = /run folder: (.+)/.exec(train.stdout)?.[1] ?? '';
    const metricsOf = (dir: string): unknown[] =>
      JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).comparison.models.map((m: { metrics: unknown }) => m.metrics);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.backend.name).toBe('wasm');

    const evaluated = await runCli(['eval', '--run', runDir, '--quiet']);
    expect(evaluated.code).toBe(0);
    expect(metricsOf(/run folder: (.+)/.exec(evaluated.stdout)?.[1] ?? '')).toEqual(metricsOf(runDir));

    // An interrupted run: the folder is still .partial and the last model's final weights are missing,
    // so resume must restore the first model and continue the second from its checkpoint.
    const partial = `${runDir}-copy.partial`;
    cpSync(runDir, partial, { recursive: true });
    rmSync(join(partial, 'metrics.json'));
    rmSync(join(partial, 'models', 'hrnn', 'final'), { recursive: true });
    const resumed = await runCli(['train', '--resume', partial, '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(metricsOf(/run folder: (.+)/.exec(resumed.stdout)?.[1] ?? '')).toEqual(metricsOf(runDir));
  }, 120_000);
});

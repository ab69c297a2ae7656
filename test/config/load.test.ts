import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';

async function writeConfig(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hrnn-config-'));
  const file = join(dir, 'exp.yaml');
  await writeFile(file, text);
  return file;
}

const minimal = `
data:
  path: events.csv
  columns: { user: u, session: s, item: i, time: t }
models:
  - type: pop
`;

describe('loadConfig', () => {
  it('fills defaults from the schema and resolves data.path against the config folder', async () => {
    const file = await writeConfig(minimal);
    const cfg = await loadConfig(file);
    expect(cfg.data.path).toBe(join(file, '..', 'events.csv'));
    expect(cfg.experiment.seed).toBe(42);
    expect(cfg.eval.tieBreak).toBe('conservative');
    expect(cfg.eval.cutoffs).toEqual([5, 10, 20]);
    expect(cfg.data.minItemSupport).toBe(20);
    expect(Object.isFrozen(cfg.data.columns)).toBe(true);
  });

  it('applies --set overrides parsed as YAML values', async () => {
    const file = await writeConfig(minimal);
    const cfg = await loadConfig(file, { overrides: ['eval.cutoffs=[1,3]', 'experiment.seed=7', 'eval.tieBreak=median'] });
    expect(cfg.eval.cutoffs).toEqual([1, 3]);
    expect(cfg.experiment.seed).toBe(7);
    expect(cfg.eval.tieBreak).toBe('median');
  });

  it('names the line and dotted key of an unknown key (a typo is an error, not a silent default)', async () => {
    const file = await writeConfig(`${minimal}eval:\n  cutof: [5]\n`);
    await expect(loadConfig(file)).rejects.toThrow(/exp\.yaml:\d+ eval: .*cutof/);
  });

  // Line 6: the template starts with a blank line, then data (2-4), experiment (5), seed (6).
  it('names the line of a value of the wrong type', async () => {
    const file = await writeConfig(minimal.replace('models:', 'experiment:\n  seed: "x"\nmodels:'));
    await expect(loadConfig(file)).rejects.toThrow(/exp\.yaml:6 experiment\.seed: .*number/);
  });

  it('reports YAML syntax errors with the line', async () => {
    const file = await writeConfig('data: [unclosed\n');
    await expect(loadConfig(file)).rejects.toThrow(/exp\.yaml:\d+: YAML syntax error/);
  });

  it('reports a missing config file', async () => {
    await expect(loadConfig('/nonexistent/x.yaml')).rejects.toThrow(/x\.yaml: config file not found/);
  });

  it('rejects a malformed --set', async () => {
    const file = await writeConfig(minimal);
    await expect(loadConfig(file, { overrides: ['eval.cutoffs'] })).rejects.toThrow(/--set expects key\.path=value/);
  });
});

describe('cross-field rules', () => {
  const base = {
    data: { path: 'x.csv', columns: { user: 'u', item: 'i', time: 't' } },
    models: [{ type: 'pop' }],
  };

  it('accepts a user log with sessions cut by idle gap', () => {
    expect(parseConfig(base).data.sessionGapSeconds).toBe(1800);
  });

  it('requires a user column for the last-session split', () => {
    const raw = { ...base, data: { path: 'x.csv', columns: { session: 's', item: 'i', time: 't' } } };
    expect(() => parseConfig(raw)).toThrow(/data\.split: the last-session split needs data\.columns\.user/);
  });

  it('rejects two models with the same label, naming both', () => {
    const raw = { ...base, models: [{ type: 'pop' }, { type: 'pop' }] };
    expect(() => parseConfig(raw)).toThrow(/models\.1\.name: "pop" is already used by models\.0/);
  });

  it('requires exactly one operation per row filter', () => {
    const raw = { ...base, data: { ...base.data, filters: [{ column: 'q', below: 1, atMost: 0 }] } };
    expect(() => parseConfig(raw)).toThrow(/data\.filters\.0: each filter needs exactly one of/);
  });
});

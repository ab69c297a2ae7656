import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { z } from 'zod';
import { UserError } from '../util/errors.js';
import { configSchema, type ExperimentConfig } from './schema.js';
import { validateRules } from './rules.js';

export interface LoadOptions {
  /** `a.b.c=value` overrides; the value is parsed as YAML (so `3`, `true`, `[5,20]` work). */
  overrides?: readonly string[];
  /** Replaces data.path (relative to the working directory). */
  dataPath?: string;
}

/**
 * Read, override, validate and freeze an experiment config. Paths in the file are relative to
 * the file; paths given on the command line are relative to the working directory.
 */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError('config file not found or unreadable', { where: file, kind: 'usage' });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw new UserError(`YAML syntax error: ${firstError.message.split('\n')[0]}`, {
      where: `${file}:${pos.line}`,
      kind: 'usage',
    });
  }
  const raw: unknown = doc.toJS() ?? {};
  resolveFilePaths(raw, dirname(file));
  for (const override of options.overrides ?? []) applyOverride(raw, override);
  if (options.dataPath !== undefined) setPath(raw, ['data', 'path'], resolve(options.dataPath));

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => formatIssue(issue, file, doc.contents, lineCounter));
    throw new UserError(`invalid config:\n  ${lines.join('\n  ')}`, { where: file, kind: 'usage' });
  }
  const ruleErrors = validateRules(parsed.data);
  if (ruleErrors.length > 0) {
    throw new UserError(`invalid config:\n  ${ruleErrors.join('\n  ')}`, { where: file, kind: 'usage' });
  }
  return deepFreeze(parsed.data);
}

/** Validate an in-memory config (tests, programmatic use). */
export function parseConfig(raw: unknown): ExperimentConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UserError(`invalid config:\n  ${lines.join('\n  ')}`, { kind: 'usage' });
  }
  const ruleErrors = validateRules(parsed.data);
  if (ruleErrors.length > 0) throw new UserError(`invalid config:\n  ${ruleErrors.join('\n  ')}`, { kind: 'usage' });
  return deepFreeze(parsed.data);
}

/** Keys whose values are file paths, resolved against the config file's folder. */
const FILE_PATH_KEYS: readonly (readonly string[])[] = [
  ['data', 'path'],
  ['data', 'testPath'],
  ['prod2vec', 'metadata', 'path'],
  ['prod2vec', 'exportDir'],
];

function resolveFilePaths(raw: unknown, baseDir: string): void {
  const models = getPath(raw, ['models']);
  const modelKeys = Array.isArray(models) ? models.map((_, i) => ['models', String(i), 'itemEmbeddings', 'path']) : [];
  for (const keyPath of [...FILE_PATH_KEYS, ...modelKeys]) {
    const value = getPath(raw, keyPath);
    if (typeof value === 'string' && !isAbsolute(value)) setPath(raw, keyPath, resolve(baseDir, value));
  }
}

function applyOverride(raw: unknown, override: string): void {
  const eq = override.indexOf('=');
  if (eq <= 0) {
    throw new UserError(`--set expects key.path=value, got "${override}"`, { kind: 'usage' });
  }
  const keyPath = override.slice(0, eq).split('.');
  const valueText = override.slice(eq + 1);
  let value: unknown = parseDocument(valueText).toJS();
  if (value === null && valueText !== 'null') value = valueText;
  setPath(raw, keyPath, value);
}

function getPath(obj: unknown, keyPath: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of keyPath) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function setPath(obj: unknown, keyPath: readonly string[], value: unknown): void {
  if (obj === null || typeof obj !== 'object') return;
  let cur = obj as Record<string, unknown>;
  keyPath.forEach((key, i) => {
    if (i === keyPath.length - 1) {
      cur[key] = value;
      return;
    }
    const next = cur[key];
    if (next === null || typeof next !== 'object') cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  });
}

function formatIssue(issue: z.core.$ZodIssue, file: string, root: unknown, lineCounter: LineCounter): string {
  const dotted = issue.path.map(String).join('.') || '(root)';
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
  const line = lineOf(root, issue.path, lineCounter);
  const where = line ? `${file}:${line} ` : '';
  return `${where}${dotted}: ${issue.message}${keys}`;
}

/** The line of the deepest YAML node along `path` that exists in the document. */
function lineOf(root: unknown, path: readonly PropertyKey[], lineCounter: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  let line: number | undefined;
  const lineFor = (n: Node | null | undefined): number | undefined =>
    n?.range ? lineCounter.linePos(n.range[0]).line : undefined;
  line = lineFor(node);
  for (const key of path) {
    if (isMap(node)) node = node.get(String(key), true) as Node | undefined;
    else if (isSeq(node) && typeof key === 'number') node = node.get(key, true) as Node | undefined;
    else break;
    line = lineFor(node) ?? line;
  }
  return line;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

/** What a run needs to be reproduced and its numbers trusted. */
export interface Manifest {
  hrnnVersion: string;
  createdAt: string;
  command: string;
  seed: number;
  gitCommit: string | null;
  gitDirty: boolean | null;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  packages: Record<string, string>;
  backend: unknown;
  inputs: InputFile[];
  dropped: Record<string, number>;
  [extra: string]: unknown;
}

export interface InputFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface ManifestOptions {
  command: string;
  seed: number;
  backend?: unknown;
  inputs: InputFile[];
  dropped?: Record<string, number>;
  extra?: Record<string, unknown>;
}

const TRACKED_PACKAGES = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'csv-parse',
  'zod',
];

export async function buildManifest(options: ManifestOptions): Promise<Manifest> {
  const git = await gitState();
  const cpuList = cpus();
  return {
    hrnnVersion: await ownVersion(),
    createdAt: new Date().toISOString(),
    command: options.command,
    seed: options.seed,
    gitCommit: git.commit,
    gitDirty: git.dirty,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    packages: packageVersions(),
    backend: options.backend ?? null,
    inputs: options.inputs,
    dropped: options.dropped ?? {},
    ...options.extra,
  };
}

async function ownVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = {};
  for (const name of TRACKED_PACKAGES) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}

const run = promisify(execFile);

async function gitState(): Promise<{ commit: string | null; dirty: boolean | null }> {
  const cwd = new URL('../..', import.meta.url).pathname;
  try {
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd });
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

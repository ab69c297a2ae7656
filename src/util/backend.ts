import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from './errors.js';
import { registerCustomKernels } from './tf-kernels.js';

/**
 * Chooses and initialises the TensorFlow.js backend. The only module that imports the native
 * tfjs-node packages or calls setBackend. The native packages are optional dependencies that are
 * often absent (their libtensorflow download fails offline), so any import error just means
 * "try the next one".
 */
export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Threads the backend computes with (wasm in Node: 1; native: TF's own pool, reported as 0 = unknown). */
  threads: number;
  /** wasm SIMD in use; null when not applicable. */
  simd: boolean | null;
  /** Why each backend tried before `name` did not load. */
  tried: Record<string, string>;
}

const ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

/** The tfjs name each backend registers under. */
const TF_NAME: Record<BackendName, string> = { 'node-gpu': 'tensorflow', node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let current: Promise<BackendInfo> | undefined;
let currentKey: string | undefined;

/** Initialise the fastest backend that loads, or exactly `preferred`. Idempotent per argument. */
export function initBackend(preferred?: BackendName): Promise<BackendInfo> {
  const key = preferred ?? 'auto';
  if (current && currentKey === key) return current;
  currentKey = key;
  current = choose(preferred);
  current.catch(() => {
    current = undefined;
    currentKey = undefined;
  });
  return current;
}

async function choose(preferred?: BackendName): Promise<BackendInfo> {
  await registerGradients();
  // Prod mode silences the cpu backend's "install tfjs-node" banner; it disables no checks we use.
  tf.enableProdMode();
  const tried: Record<string, string> = {};
  for (const name of preferred ? [preferred] : ORDER) {
    try {
      const threads = await load(name);
      registerCustomKernels(TF_NAME[name]);
      const simd = name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null;
      return { name, threads, simd, tried };
    } catch (err) {
      tried[name] = err instanceof Error ? err.message.split('\n')[0] ?? String(err) : String(err);
    }
  }
  if (preferred) {
    throw new UserError(`tfjs backend '${preferred}' did not load: ${tried[preferred] ?? 'unknown error'}`, {
      kind: 'usage',
      hint: `choose another backend (${ORDER.join(', ')})${preferred.startsWith('node') ? ', or install @tensorflow/tfjs-node' : ''}`,
    });
  }
  throw new UserError(`no tfjs backend loaded: ${JSON.stringify(tried)}`);
}

/** Import and activate one backend; returns its thread count. Throws when it cannot be used. */
async function load(name: BackendName): Promise<number> {
  if (name === 'node-gpu' || name === 'node') {
    // A variable specifier keeps bundlers and tsc from requiring the optional packages.
    const pkg = name === 'node' ? '@tensorflow/tfjs-node' : '@tensorflow/tfjs-node-gpu';
    await import(pkg);
    await activate('tensorflow');
    return 0;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    await activate('wasm');
    // Node runs the single-threaded build (setThreadsCount is ignored there).
    return wasm.getThreadsCount();
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return 1;
}

/**
 * tfjs-core's CommonJS build (what Node loads) ships no gradient functions: they are registered by
 * its ESM entry `register_all_gradients`, whose relative imports lack the `.js` extension Node's
 * ESM loader needs. A resolve hook adds it for files inside tfjs-core/dist. The gradients land in
 * tfjs' global registry, shared by both module copies.
 */
let gradients: Promise<unknown> | undefined;
function registerGradients(): Promise<unknown> {
  if (tf.getGradient(tf.Sum)) return Promise.resolve();
  const hook = `export async function resolve(s, c, next) {
    if (s.startsWith('.') && !s.endsWith('.js') && (c.parentURL ?? '').includes('/@tensorflow/tfjs-core/dist/')) {
      try { return await next(s + '.js', c); } catch { return next(s + '/index.js', c); }
    }
    return next(s, c);
  }`;
  if (!gradients) {
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    gradients = import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  }
  return gradients;
}

async function activate(tfName: string): Promise<void> {
  if (!(await tf.setBackend(tfName))) throw new Error(`setBackend('${tfName}') returned false`);
  await tf.ready();
}

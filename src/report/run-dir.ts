import { access, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';
import { pathExists } from '../util/path-exists.js';

const PARTIAL_SUFFIX = '.partial';

/**
 * A run folder under construction. It lives at `<outDir>/<utc-time>-<name>.partial/` until
 * `finish()` renames it to its final name, so a crashed or interrupted run is never mistaken for
 * a complete one (and `--resume` can pick it up).
 */
export class RunWriter {
  private constructor(readonly dir: string) {}

  /**
   * Start a new run folder. Two runs started in the same second (e.g. two seeds in parallel) get
   * distinct folders: the name is claimed with an exclusive mkdir and numbered on collision.
   */
  static async create(outDir: string, name: string, now: Date = new Date()): Promise<RunWriter> {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
    await mkdir(outDir, { recursive: true });
    for (let n = 1; ; n++) {
      const base = join(outDir, `${stamp}-${name}${n === 1 ? '' : `-${n}`}`);
      if (await pathExists(base)) continue;
      try {
        await mkdir(`${base}${PARTIAL_SUFFIX}`);
        return new RunWriter(`${base}${PARTIAL_SUFFIX}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  /** Reopen an unfinished run folder (for --resume). */
  static async reopen(dir: string): Promise<RunWriter> {
    const clean = dir.replace(/\/+$/, '');
    if (!clean.endsWith(PARTIAL_SUFFIX)) {
      throw new UserError('only an unfinished run (a folder ending in .partial) can be resumed', { where: dir, kind: 'usage' });
    }
    try {
      await access(join(clean, 'config.resolved.json'));
    } catch {
      throw new UserError('not a run folder: config.resolved.json is missing', { where: dir, kind: 'usage' });
    }
    return new RunWriter(clean);
  }

  path(relPath: string): string {
    return join(this.dir, relPath);
  }

  async writeJson(relPath: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.path(relPath), `${JSON.stringify(value, null, 2)}\n`);
  }

  async writeText(relPath: string, text: string): Promise<void> {
    await writeFileAtomic(this.path(relPath), text);
  }

  /** Rename the folder to its final name; returns that path. */
  async finish(): Promise<string> {
    const finalDir = this.dir.slice(0, -PARTIAL_SUFFIX.length);
    await rename(this.dir, finalDir);
    return finalDir;
  }
}

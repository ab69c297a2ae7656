import cliProgress from 'cli-progress';

/**
 * Progress reporting for long steps. Bars are drawn only on an interactive terminal; otherwise
 * (CI, pipes, tests) `task` is silent and `info` prints plain lines unless quiet.
 */
export interface ProgressTask {
  /** Advance to `value` (absolute) and update the shown fields, e.g. {loss: '0.42'}. */
  update(value: number, fields?: Record<string, string>): void;
  stop(): void;
}

export interface Progress {
  task(label: string, total: number): ProgressTask;
  info(message: string): void;
}

export interface ProgressOptions {
  /** Draw bars (default: stderr is a TTY). */
  interactive: boolean;
  /** Print nothing but errors. */
  quiet: boolean;
  write: (line: string) => void;
}

export function createProgress(options: ProgressOptions): Progress {
  return {
    task(label, total) {
      if (!options.interactive || options.quiet) return silentTask;
      const bar = new cliProgress.SingleBar(
        {
          format: `${label.padEnd(22)} [{bar}] {percentage}% {value}/{total} {eta_formatted} {extra}`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { extra: '' });
      return {
        update(value, fields) {
          const extra = fields ? Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(' ') : '';
          bar.update(value, { extra });
        },
        stop() {
          bar.stop();
        },
      };
    },
    info(message) {
      if (!options.quiet) options.write(message);
    },
  };
}

const silentTask: ProgressTask = { update() {}, stop() {} };

/** A Progress that prints nothing: for tests and library use. */
export const silentProgress: Progress = { task: () => silentTask, info() {} };

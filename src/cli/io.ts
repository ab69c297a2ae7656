import { createProgress, type Progress } from '../util/progress.js';

/** Progress bars on an interactive stderr; plain lines otherwise; nothing with --quiet. */
export function cliProgress(quiet: boolean): Progress {
  return createProgress({
    interactive: process.stderr.isTTY === true,
    quiet,
    write: (line) => process.stderr.write(`${line}\n`),
  });
}

/** The command as typed, for the manifest. */
export function commandLine(): string {
  return ['hrnn', ...process.argv.slice(2)].join(' ');
}

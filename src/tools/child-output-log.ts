// A child process's stdout and stderr, both appended to one log file. Neither stream may end the
// file when it ends, or the other's last lines (often why the child stopped) are written after the
// end and lost; the file is closed once the child's output is all read.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** Resolves when the child has closed its output and every line of it is in the file. */
export function logChildOutput(child: ChildProcess, file: string): Promise<void> {
  const log = createWriteStream(file, { flags: 'a' });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  return new Promise((resolve) => child.once('close', () => log.end(resolve)));
}

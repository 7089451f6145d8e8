/**
 * A progress bar on stderr, only for a human on a terminal: never in CI logs, never mixed into a
 * machine-readable report.
 */
import type { OutputStream } from '../../cli/io';

export interface Progress {
  tick(target: string): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { tick: () => undefined, stop: () => undefined };

export function startProgress(stderr: OutputStream, total: number, enabled: boolean): Progress {
  if (!enabled || !stderr.isTTY || total === 0) return NO_PROGRESS;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar({
    stream: stderr as unknown as NodeJS.WritableStream,
    format: 'checking {bar} {value}/{total} targets {last}',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  bar.start(total, 0, { last: '' });
  return {
    tick: (target) => bar.increment(1, { last: target }),
    stop: () => bar.stop(),
  };
}

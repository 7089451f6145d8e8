/** What a command may touch of the outside world; tests pass in-memory streams. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when it is a terminal (colours, progress bars). */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): Io {
  ignoreClosedPipes();
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

let pipesGuarded = false;

/**
 * A reader that stops early (`idc-cmk drift | head`) closes the pipe: the rest of the output has
 * nowhere to go, which is no error of ours. Without this, Node raises EPIPE as an unhandled 'error'
 * event (a stack trace, exit 1) and the command's own exit code (2 for drift) is lost.
 */
function ignoreClosedPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}

/** An in-memory Io for tests: read back what a command printed. */
export interface CapturedIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string; tty?: boolean } = {}): CapturedIo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Readable } = require('stream') as typeof import('stream');
  const out: string[] = [];
  const err: string[] = [];
  const stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]) as NodeJS.ReadableStream & { isTTY?: boolean };
  return {
    stdout: { write: (s: string) => out.push(s), isTTY: options.tty ?? false, columns: 100 },
    stderr: { write: (s: string) => err.push(s), isTTY: options.tty ?? false, columns: 100 },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

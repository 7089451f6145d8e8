import { ExitCode } from './exit-codes';
import type { Io } from './io';
import { isIdcCmkError } from '../core/errors';

/**
 * Runs one command and turns its outcome into an exit code: the only place errors become exit codes.
 * Known errors print `error [CODE]: message`, their details and hint; anything else is a bug, printed
 * as INTERNAL. Stack traces and causes only with --debug. Secrets never reach this layer: errors carry
 * no credentials.
 */
export async function runCommand(io: Io, debug: boolean, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    reportError(io, debug, e);
    return ExitCode.FAILURE;
  }
}

/**
 * Prints an error: code, message, details, hint; the stack only when debugging. `debugSwitch` names how
 * to turn debugging on where this runs (the CLI's --debug; IDC_CMK_DEBUG=1 for the cdktf app).
 */
export function reportError(io: Io, debug: boolean, e: unknown, debugSwitch = '--debug'): void {
  if (isIdcCmkError(e)) {
    io.stderr.write(`error [${e.code}]: ${e.message}\n`);
    for (const d of e.details) io.stderr.write(`  - ${d}\n`);
    if (e.hint) io.stderr.write(`hint: ${e.hint}\n`);
    if (debug) {
      io.stderr.write(`${e.stack ?? ''}\n`);
      if (e.cause) io.stderr.write(`caused by: ${e.cause instanceof Error ? e.cause.stack ?? e.cause.message : String(e.cause)}\n`);
    }
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.stderr.write(`error [INTERNAL]: ${message}\n`);
  if (debug) io.stderr.write(`${e instanceof Error ? e.stack ?? '' : ''}\n`);
  else io.stderr.write(`hint: run again with ${debugSwitch} for the stack trace, and report it as a bug.\n`);
}

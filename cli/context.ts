import type { Io } from './io';

/** Handed to every command file's register function. */
export interface CliContext {
  readonly io: Io;
  readonly debug: boolean;
  /**
   * Wraps a command action: the action returns its exit code (see exit-codes.ts); thrown errors are
   * reported (with stable codes) and become ExitCode.FAILURE.
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void>;
}

import { Command, CommanderError } from 'commander';
import { ExitCode } from './exit-codes';
import { Io, processIo } from './io';
import { runCommand } from './run-command';
import type { CliContext } from './context';
import { registerConfigCommands } from './commands/config';
import { registerDriftCommand } from './commands/drift';
import { registerPolicyCommands } from './commands/policy';
import { registerEncryptionCommands } from './commands/encryption';
import { registerLocalAwsCommand } from './commands/local-aws';
import { registerDemoCommand } from './commands/demo';

/**
 * The idc-cmk CLI. Command files only declare flags; each action loads its implementation lazily,
 * so `idc-cmk drift` never loads cdktf or the provider bindings.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const args = argv.slice(2);
  const debug = args.includes('--debug') || io.env.IDC_CMK_DEBUG === '1';
  let exitCode: number = ExitCode.OK;
  const ctx: CliContext = {
    io,
    debug,
    action:
      <A extends unknown[]>(fn: (...a: A) => Promise<number>) =>
      async (...a: A): Promise<void> => {
        exitCode = await runCommand(io, debug, () => fn(...a));
      },
  };

  const program = new Command('idc-cmk')
    .description('IAM Identity Center on a customer managed KMS key: declare it, switch to it, and detect drift.')
    .option('--debug', 'print stack traces and causes of errors')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  registerConfigCommands(program, ctx);
  registerDriftCommand(program, ctx);
  registerPolicyCommands(program, ctx);
  registerEncryptionCommands(program, ctx);
  registerLocalAwsCommand(program, ctx);
  registerDemoCommand(program, ctx);

  for (const cmd of allCommands(program)) cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with code 0; usage errors (unknown flag, missing argument) with 1.
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.FAILURE;
    }
    throw e;
  }
  return exitCode;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Entry point of bin/idc-cmk.js: the only place the process exit code is set. */
export function main(argv: readonly string[]): void {
  runCli(argv, processIo()).then(
    (code) => {
      process.exitCode = code;
      exitWhenFlushed();
    },
    (e: unknown) => {
      process.stderr.write(`error [INTERNAL]: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = ExitCode.FAILURE;
      exitWhenFlushed();
    },
  );
}

/**
 * Ends the process once the command is done and its output is written. A call abandoned at a
 * deadline leaves the SDK's backoff timer behind (up to 20 s under throttling), which would keep the
 * process alive long after its answer and overrun `--timeout` for whoever waits on it.
 */
function exitWhenFlushed(): void {
  let pending = 2;
  const flushed = (): void => {
    if (--pending === 0) process.exit();
  };
  // A write's callback runs once everything before it has been handed to the OS (or the pipe closed).
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Flags only; the demo (demo/run-demo.ts) is loaded when the command runs. */
export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('run the drift check end to end against the local endpoint: example fleet, synth, local apply, drift one target, report')
    .option('--config <file>', 'rollout file to synthesize (default: the example idc-cmk.yaml)')
    .option('--drift <target>', 'target to drift (default: the first)')
    .option('--format <format>', 'report format: human, json, markdown, junit', 'human')
    .option('--keep', 'keep the working directory (synth output and state) and print its path')
    .action(
      ctx.action(async (flags: { config?: string; drift?: string; format?: string; keep?: boolean }) => {
        const { runDemo } = await import('../../demo/run-demo');
        return runDemo(flags, ctx.io);
      }),
    );
}

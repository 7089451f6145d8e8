import type { Command } from 'commander';
import type { CliContext } from '../context';
import { IdcCmkError } from '../../core/errors';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('run the drift check end to end against the local endpoint')
    .action(ctx.action(async () => {
      throw new IdcCmkError('INTERNAL', 'demo is not implemented yet');
    }));
}

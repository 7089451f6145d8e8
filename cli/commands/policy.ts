import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerPolicyCommands(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('key policy commands');
  policy
    .command('diff <expected> <actual>')
    .description('compare two policy files for meaning; exit 0 when they mean the same, 2 when they differ, 1 on invalid input')
    .option('--format <format>', 'text or json', 'text')
    .option('--instance-arn <arn>', 'the Identity Center instance the key serves (for the outage class)')
    .option('--identity-store-arn <arn>', 'the Identity Store the key serves (for the outage class)')
    .option('--account <id>', 'the instance account (default: inferred from the expected policy)')
    .action(ctx.action(async (expected: string, actual: string, options: { format?: string; instanceArn?: string; identityStoreArn?: string; account?: string }) => {
      const { runPolicyDiff } = await import('../../policy/cli');
      return runPolicyDiff(ctx.io, expected, actual, options);
    }));
}

import type { Command } from 'commander';
import type { CliContext } from '../context';

/**
 * `idc-cmk encryption apply | revert | status`. Flags only: the implementation (and the AWS SDK) is
 * loaded when a subcommand runs. Progress goes to stderr, results to stdout.
 *
 * `revert` is consequential, so it asks: with `--yes` it proceeds; without it, on an interactive
 * terminal it asks you to type the instance ID; anywhere else (scripts, CI, Terraform provisioners)
 * it refuses and changes nothing. `--dry-run` never needs confirmation.
 */
export function registerEncryptionCommands(program: Command, ctx: CliContext): void {
  const encryption = program.command('encryption').description("switch an Identity Center instance's encryption at rest (apply, revert, status)");

  encryption
    .command('apply')
    .description('switch the instance to a customer managed key, after a pre-flight that refuses anything unsafe; no change when already on it')
    .requiredOption('--instance-arn <arn>', 'Identity Center instance ARN (arn:aws:sso:::instance/ssoins-...)')
    .requiredOption('--key-arn <arn>', 'customer managed KMS key ARN, in the instance owner account and Region')
    .requiredOption('--region <region>', "the instance's Region")
    .option('--management-account <id>', "the organization's management account ID, cross-checked with Organizations (and used when organizations:DescribeOrganization cannot be read): the instance must be owned by it")
    .option('--role-arn <arn>', "role to assume (the management account's) for every call")
    .option('--external-id <id>', "external ID the role's trust policy requires (with --role-arn)")
    .option('--org-id <id>', 'AWS Organizations ID, when the key policy conditions on aws:ResourceOrgID / aws:SourceOrgID')
    .option('--timeout <seconds>', 'give up after this many seconds (the instance may still be UPDATING)', '900')
    .option('--poll-interval <ms>', 'milliseconds between DescribeInstance calls', '5000')
    .option('--dry-run', 'run the pre-flight and say what would happen; change nothing')
    .option('--format <format>', 'result format: text or json', 'text')
    .action(ctx.action(async (opts: Record<string, string | boolean | undefined>) => (await import('../../encryption/cli')).runApply(opts, ctx.io)));

  encryption
    .command('revert')
    .description('switch the instance back to the AWS owned key; needs --yes unless confirmed on an interactive terminal')
    .requiredOption('--instance-arn <arn>', 'Identity Center instance ARN')
    .requiredOption('--region <region>', "the instance's Region")
    .option('--role-arn <arn>', "role to assume (the management account's) for every call")
    .option('--external-id <id>', "external ID the role's trust policy requires (with --role-arn)")
    .option('--only-if-key-arn <arn>', 'switch back only if the instance uses this key now (otherwise do nothing)')
    .option('--timeout <seconds>', 'give up after this many seconds (the instance may still be UPDATING)', '900')
    .option('--poll-interval <ms>', 'milliseconds between DescribeInstance calls', '5000')
    .option('--yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--dry-run', 'say what would happen; change nothing')
    .option('--format <format>', 'result format: text or json', 'text')
    .action(ctx.action(async (opts: Record<string, string | boolean | undefined>) => (await import('../../encryption/cli')).runRevert(opts, ctx.io)));

  encryption
    .command('status')
    .description("print the instance's live encryption configuration (key type, key ARN, status, reason)")
    .requiredOption('--instance-arn <arn>', 'Identity Center instance ARN')
    .requiredOption('--region <region>', "the instance's Region")
    .option('--role-arn <arn>', 'role to assume for the call')
    .option('--external-id <id>', "external ID the role's trust policy requires (with --role-arn)")
    .option('--format <format>', 'result format: text or json', 'text')
    .action(ctx.action(async (opts: Record<string, string | boolean | undefined>) => (await import('../../encryption/cli')).runStatus(opts, ctx.io)));
}

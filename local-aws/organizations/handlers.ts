/**
 * AWS Organizations (`AWSOrganizationsV20161128.*`, signing name `organizations`): DescribeOrganization,
 * which is how a caller learns its organization's management account (an organization instance of
 * Identity Center is the one its management account owns). The management account of a seeded
 * organization is the account owning an organization instance in it, else the first account seeded
 * into it; an account seeded without an organization but with an organization instance manages one
 * of its own (`o-local<account>`).
 */
import { AwsError } from '../errors';
import type { Handler } from '../handler';
import type { LocalAwsState } from '../state';

/** The management account of an organization, as the emulator models it. */
export function managementAccountOf(state: LocalAwsState, orgId: string): string | undefined {
  const members = [...state.accounts.values()].filter((a) => a.orgId === orgId).map((a) => a.accountId);
  const owner = [...state.instances.values()].find((i) => i.organization && members.includes(i.ownerAccountId))?.ownerAccountId;
  return owner ?? members[0];
}

const DescribeOrganization: Handler = (ctx) => {
  let orgId = ctx.state.accounts.get(ctx.accountId)?.orgId;
  let management: string | undefined;
  if (orgId === undefined) {
    // An account seeded with an organization instance but no orgId manages an organization of its own.
    const ownsOrgInstance = [...ctx.state.instances.values()].some((i) => i.organization && i.ownerAccountId === ctx.accountId);
    if (!ownsOrgInstance) throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    orgId = `o-local${ctx.accountId}`;
    management = ctx.accountId;
  }
  management ??= managementAccountOf(ctx.state, orgId) ?? ctx.accountId;
  return {
    Organization: {
      Id: orgId,
      Arn: `arn:aws:organizations::${management}:organization/${orgId}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${management}:account/${orgId}/${management}`,
      MasterAccountId: management,
      MasterAccountEmail: `aws+${management}@example.com`,
      AvailablePolicyTypes: [],
    },
  };
};

export const ORGANIZATIONS_OPERATIONS: Readonly<Record<string, Handler>> = { DescribeOrganization };

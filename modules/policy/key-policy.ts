/**
 * Assembles the key policy from the statement templates. Pure: no cdktf, so the CLI and the
 * pre-flight can build the same document the construct deploys.
 */
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from '../../policy/types';
import type { IdentityCenterKeyProps } from '../identity-center-key-props';
import { resolveKeyProps } from '../private/defaults';
import { identityStorePin, instancePin } from './encryption-context';
import {
  type IdentityService, type StatementContext, adminsDescribeKeyStatement, adminsViaServiceStatement, auditorsStatement,
  delegatedAdminFullAccessStatement, identityCenterDescribeKeyStatement, keyAdministrationStatement,
  managedApplicationsViaServiceStatement, orgPrincipalsViaServiceStatement, serviceUseKeyStatement,
} from './statements';

const SERVICES: readonly IdentityService[] = ['sso', 'identitystore'];

/**
 * The key policy for these props, least privilege by default. Statement order is fixed, so the
 * rendered JSON is stable. Does not validate: see `validateIdentityCenterKeyProps` / `validateKeyPolicy`.
 */
export function buildKeyPolicy(props: IdentityCenterKeyProps): PolicyDocument {
  const r = resolveKeyProps(props);
  const pinInput = { ...r };
  const ctx: StatementContext = {
    partition: r.partition,
    account: r.account,
    instancePin: instancePin(pinInput),
    identityStorePin: identityStorePin(pinInput),
  };
  const statements: PolicyStatement[] = [];
  if (r.administrators.length > 0) statements.push(keyAdministrationStatement(ctx, r.administrators));
  if (props.allowDelegatedAdminFullAccess === true && r.delegatedAdminAccounts.length > 0) {
    statements.push(delegatedAdminFullAccessStatement(ctx, r.delegatedAdminAccounts));
  }
  statements.push(identityCenterDescribeKeyStatement(ctx));
  for (const s of SERVICES) statements.push(serviceUseKeyStatement(ctx, s));
  if (r.identityCenterAdministrators.length > 0) {
    statements.push(adminsDescribeKeyStatement(ctx, r.identityCenterAdministrators));
    for (const s of SERVICES) statements.push(adminsViaServiceStatement(ctx, s, r.identityCenterAdministrators));
  }
  if (r.organizationId !== undefined) {
    if (props.organizationPrincipals === true) {
      for (const s of SERVICES) statements.push(orgPrincipalsViaServiceStatement(ctx, s, r.organizationId));
    }
    if (props.managedApplications === true) {
      for (const s of SERVICES) statements.push(managedApplicationsViaServiceStatement(ctx, s, r.organizationId));
    }
  }
  if (props.auditors !== undefined && props.auditors.length > 0) statements.push(auditorsStatement(ctx, props.auditors));
  statements.push(...(props.extraStatements ?? []));
  return { Version: POLICY_VERSION, Statement: statements };
}

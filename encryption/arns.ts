/**
 * The identifiers the encryption switch accepts, validated once, with messages that name the field,
 * the value and what is allowed. Pure: no SDK, no cdktf (the CLI and the construct both use it).
 */
import { describeProblem } from '../core/errors';

/** `arn:aws:sso:::instance/ssoins-1234567890abcdef` (API_DescribeInstance.html's InstanceArn pattern). */
export const INSTANCE_ARN_PATTERN = /^arn:(aws(?:-[a-z]{1,5}){0,3}):sso:::instance\/((?:sso)?ins-[a-zA-Z0-9-.]{16})$/;
export const INSTANCE_ARN_ALLOWED = 'an Identity Center instance ARN, arn:<partition>:sso:::instance/ssoins-<16 characters>';

/**
 * A KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<uuid | mrk-32 hex>`. Aliases and bare key
 * IDs are not accepted: UpdateInstance's KmsKeyArn takes a key ARN only (API_EncryptionConfiguration.html).
 */
export const KEY_ARN_PATTERN =
  /^arn:(aws(?:-[a-z]{1,5}){0,3}):kms:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):key\/((?:mrk-[a-f0-9]{32})|(?:[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}))$/;
export const KEY_ARN_ALLOWED = 'a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id or mrk-...> (not an alias, not a bare key ID)';

export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
export const REGION_ALLOWED = 'an AWS Region code such as us-east-1';

export const ROLE_ARN_PATTERN = /^arn:(aws(?:-[a-z]{1,5}){0,3}):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
export const ROLE_ARN_ALLOWED = 'an IAM role ARN, arn:<partition>:iam::<account>:role/<name>';

export interface InstanceArnParts {
  readonly arn: string;
  readonly partition: string;
  /** `ssoins-...` */
  readonly instanceId: string;
}

export interface KeyArnParts {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly keyId: string;
}

export function parseInstanceArn(value: string): InstanceArnParts | undefined {
  const m = INSTANCE_ARN_PATTERN.exec(value);
  return m ? { arn: value, partition: m[1] as string, instanceId: m[2] as string } : undefined;
}

export function parseKeyArn(value: string): KeyArnParts | undefined {
  const m = KEY_ARN_PATTERN.exec(value);
  return m ? { arn: value, partition: m[1] as string, region: m[2] as string, account: m[3] as string, keyId: m[4] as string } : undefined;
}

/** The problems with an input, one line each; empty when it is valid. */
export function instanceArnProblems(field: string, value: unknown): string[] {
  return typeof value === 'string' && parseInstanceArn(value) ? [] : [describeProblem(field, value, INSTANCE_ARN_ALLOWED)];
}

export function keyArnProblems(field: string, value: unknown): string[] {
  if (typeof value === 'string' && parseKeyArn(value)) return [];
  if (typeof value === 'string' && /^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\//.test(value)) {
    return [describeProblem(field, value, `${KEY_ARN_ALLOWED}; resolve the alias to its key ARN first (aws kms describe-key --key-id ${value})`)];
  }
  return [describeProblem(field, value, KEY_ARN_ALLOWED)];
}

export function regionProblems(field: string, value: unknown): string[] {
  return typeof value === 'string' && REGION_PATTERN.test(value) ? [] : [describeProblem(field, value, REGION_ALLOWED)];
}

export function roleArnProblems(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' && ROLE_ARN_PATTERN.test(value) ? [] : [describeProblem(field, value, ROLE_ARN_ALLOWED)];
}

/** STS's ExternalId: 2 to 1224 characters of letters, digits and + = , . @ : / - _. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
export const EXTERNAL_ID_ALLOWED = '2 to 1224 characters: letters, digits and + = , . @ : / _ -';

export function externalIdProblems(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' && EXTERNAL_ID_PATTERN.test(value) ? [] : [describeProblem(field, value, EXTERNAL_ID_ALLOWED)];
}

/** `arn:<partition>:identitystore::<owner>:identitystore/<IdentityStoreId>` (aws-idc-cmk.md §4). */
export function identityStoreArnFor(partition: string, ownerAccount: string, identityStoreId: string): string {
  return `arn:${partition}:identitystore::${ownerAccount}:identitystore/${identityStoreId}`;
}

/**
 * Limits and formats the construct validates, each used by both the check and its message.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
 */
import { PARTITIONS } from './partitions';

export const ROTATION_PERIOD_MIN_DAYS = 90;
export const ROTATION_PERIOD_MAX_DAYS = 2560;
export const ROTATION_PERIOD_DEFAULT_DAYS = 365;
export const ROTATION_PERIOD_ALLOWED = `a whole number from ${ROTATION_PERIOD_MIN_DAYS} to ${ROTATION_PERIOD_MAX_DAYS}`;

export const DELETION_WINDOW_MIN_DAYS = 7;
export const DELETION_WINDOW_MAX_DAYS = 30;
export const DELETION_WINDOW_DEFAULT_DAYS = 30;
export const DELETION_WINDOW_ALLOWED = `a whole number from ${DELETION_WINDOW_MIN_DAYS} to ${DELETION_WINDOW_MAX_DAYS}`;

export const ALIAS_PREFIX = 'alias/';
export const ALIAS_RESERVED_PREFIX = 'alias/aws/';
export const ALIAS_MAX_LENGTH = 256;
export const ALIAS_NAME_PATTERN = /^alias\/[a-zA-Z0-9/_-]+$/;
export const ALIAS_ALLOWED = `"${ALIAS_PREFIX}" followed by letters, digits, "/", "_" or "-", at most ${ALIAS_MAX_LENGTH} characters, not starting with "${ALIAS_RESERVED_PREFIX}"`;
export const DEFAULT_ALIAS = 'alias/identity-center';

export const DESCRIPTION_MAX_LENGTH = 8192;
export const DESCRIPTION_ALLOWED = `at most ${DESCRIPTION_MAX_LENGTH} characters`;

export const ACCOUNT_PATTERN = /^\d{12}$/;
export const ACCOUNT_ALLOWED = 'a 12-digit AWS account ID';

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const REGION_ALLOWED = 'an AWS Region code such as "us-east-1"';

export const PARTITION_ALLOWED = `one of ${PARTITIONS.map((p) => `"${p}"`).join(', ')}`;

export const INSTANCE_ID_PATTERN_SOURCE = 'ssoins-[a-f0-9]{16}';
export function instanceArnPattern(partition: string): RegExp {
  return new RegExp(`^arn:${partition}:sso:::instance/${INSTANCE_ID_PATTERN_SOURCE}$`);
}
export function instanceArnAllowed(partition: string): string {
  return `an instance ARN "arn:${partition}:sso:::instance/ssoins-" followed by 16 lowercase hex characters`;
}

export const IDENTITY_STORE_ID_PATTERN = /^d-[0-9a-f]{10}$/;
export const IDENTITY_STORE_ID_ALLOWED = 'an identity store ID "d-" followed by 10 lowercase hex characters';

export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;
export const ORGANIZATION_ID_ALLOWED = 'an organization ID "o-" followed by 10 to 32 lowercase letters or digits';

/**
 * IAM principal ARN patterns as `aws:PrincipalArn` sees them: account root, roles, users (never STS
 * session ARNs: for a role session the key is the role's ARN). `*` and `?` allowed after the account.
 */
export function principalArnPattern(partition: string): RegExp {
  return new RegExp(`^arn:${partition}:iam::\\d{12}:(root|role/[^\\s]+|user/[^\\s]+)$`);
}
export function principalArnAllowed(partition: string): string {
  return `an IAM principal ARN or pattern "arn:${partition}:iam::<12-digit account>:root", ":role/<path and name>" or ":user/<path and name>"`;
}
/** The 12-digit account of a principal ARN matched by {@link principalArnPattern}. */
export function principalArnAccount(arn: string): string {
  return arn.split(':')[4];
}

export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
export const TAG_RESERVED_PREFIX = 'aws:';
export const TAG_KEY_ALLOWED = `1 to ${TAG_KEY_MAX_LENGTH} characters, not starting with "${TAG_RESERVED_PREFIX}"`;
export const TAG_VALUE_ALLOWED = `at most ${TAG_VALUE_MAX_LENGTH} characters`;

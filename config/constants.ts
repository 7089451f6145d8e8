/**
 * Limits and formats of the rollout file: each constant is used by the check AND by its message, so
 * the two cannot disagree. KMS limits come from the construct's own limits module (pure, no cdktf),
 * so `config validate` and synth agree. Nothing here (or anywhere in `config/`) loads cdktf.
 */
import {
  DELETION_WINDOW_MAX_DAYS,
  DELETION_WINDOW_MIN_DAYS,
  DESCRIPTION_MAX_LENGTH,
  INSTANCE_ID_PATTERN_SOURCE,
  ROTATION_PERIOD_MAX_DAYS,
  ROTATION_PERIOD_MIN_DAYS,
} from '../modules/private/limits';

export { DELETION_WINDOW_MAX_DAYS, DELETION_WINDOW_MIN_DAYS, ROTATION_PERIOD_MAX_DAYS, ROTATION_PERIOD_MIN_DAYS };
export const KMS_DESCRIPTION_MAX_LENGTH = DESCRIPTION_MAX_LENGTH;

/** The only rollout file format version this code reads. */
export const CONFIG_VERSION = 1;

/** The default rollout file name, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'idc-cmk.yaml';

/** Environment variable naming another rollout file. */
export const CONFIG_ENV_VAR = 'IDC_CMK_CONFIG';

/** One entry per format: the pattern and, for messages, what it allows. */
export interface Format {
  readonly pattern: RegExp;
  readonly allowed: string;
}

/** Placeholders usable in ARNs (mostly in `defaults`), replaced per target. */
export const ACCOUNT_PLACEHOLDER = '{account}';
export const PARTITION_PLACEHOLDER = '{partition}';

const PARTITION = '(?:aws|aws-cn|aws-us-gov|\\{partition\\})';
const ACCOUNT_OR_PLACEHOLDER = '(?:\\d{12}|\\{account\\})';

export const TARGET_NAME: Format = {
  pattern: /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
  allowed: 'lowercase letters, digits and single hyphens, starting with a letter (it names the stack and its state), at most 64 characters',
};
export const TARGET_NAME_MAX_LENGTH = 64;

export const ACCOUNT_ID: Format = {
  pattern: /^\d{12}$/,
  allowed: '12 digits, as a string (quote it in YAML)',
};

export const REGION: Format = {
  pattern: /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/,
  allowed: 'an AWS Region code such as us-east-1',
};

export const INSTANCE_ARN: Format = {
  pattern: new RegExp(`^arn:(aws|aws-cn|aws-us-gov):sso:::instance/${INSTANCE_ID_PATTERN_SOURCE}$`),
  allowed: 'arn:<partition>:sso:::instance/ssoins- followed by 16 lowercase hexadecimal digits',
};

export const IDENTITY_STORE_ID: Format = {
  pattern: /^d-[0-9a-f]{10}$/,
  allowed: 'd- followed by 10 hexadecimal digits (e.g. d-1234567890)',
};

export const ORGANIZATION_ID: Format = {
  pattern: /^o-[a-z0-9]{10,32}$/,
  allowed: 'o- followed by 10 to 32 lowercase letters or digits',
};

export const ROLE_ARN: Format = {
  pattern: new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT_OR_PLACEHOLDER}:role/[\\w+=,.@/-]{1,512}$`),
  allowed: `an IAM role ARN, arn:<partition>:iam::<12 digits>:role/<name>; ${ACCOUNT_PLACEHOLDER} and ${PARTITION_PLACEHOLDER} are replaced per target`,
};

/** A principal for the key policy: an account root, a role or a user; `*` and `?` allowed in the name (matched with aws:PrincipalArn). */
export const PRINCIPAL_ARN: Format = {
  pattern: new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT_OR_PLACEHOLDER}:(?:root|(?:role|user)/[\\w+=,.@/*?-]{1,512})$`),
  allowed: `an IAM principal ARN, arn:<partition>:iam::<12 digits>:root, :role/<name> or :user/<name> (* and ? allowed in the name); ${ACCOUNT_PLACEHOLDER} and ${PARTITION_PLACEHOLDER} are replaced per target`,
};

export const SESSION_NAME: Format = {
  pattern: /^[\w+=,.@-]{2,64}$/,
  allowed: '2 to 64 characters: letters, digits and + = , . @ _ -',
};

export const EXTERNAL_ID: Format = {
  pattern: /^[\w+=,.@:/-]{2,1224}$/,
  allowed: '2 to 1224 characters: letters, digits and + = , . @ : / _ -',
};

/** Alias names; the construct applies the full rule (prefix added, `alias/aws/` rejected) at synth. */
export const ALIAS_NAME: Format = {
  pattern: /^(?!alias\/aws\/)(?:alias\/)?[a-zA-Z0-9/_-]{1,250}$/,
  allowed: 'letters, digits, / _ - (alias/ is added when missing; alias/aws/ is reserved for AWS)',
};

export const S3_BUCKET: Format = {
  pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  allowed: 'an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
};

export const S3_KEY_PREFIX: Format = {
  pattern: /^(?!\/)[\w!.*'()/-]{0,511}[\w!.*'()-]$/,
  allowed: 'letters, digits and ! - _ . * \' ( ) /, not starting or ending with /',
};

export const DYNAMODB_TABLE: Format = {
  pattern: /^[\w.-]{3,255}$/,
  allowed: 'a DynamoDB table name: 3 to 255 letters, digits, _ - .',
};

export const HCP_ORGANIZATION: Format = {
  pattern: /^[\w-]{1,100}$/,
  allowed: 'an HCP Terraform organization name: letters, digits, _ and -',
};

export const HCP_WORKSPACE_PREFIX: Format = {
  pattern: /^[\w-]{1,80}$/,
  allowed: 'letters, digits, _ and - (the target name is appended)',
};

export const HOSTNAME: Format = {
  pattern: /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/,
  allowed: 'a host name such as tfe.example.com',
};

export const TAG_KEY: Format = {
  pattern: /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  allowed: '1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws:',
};

export const TAG_VALUE: Format = {
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  allowed: 'up to 256 letters, digits, spaces and _ . : / = + - @',
};

/** Finding codes in drift ignore rules, e.g. `TAG_UNEXPECTED`. */
export const FINDING_CODE: Format = {
  pattern: /^[A-Z][A-Z0-9_]{1,63}$/,
  allowed: 'an upper-case finding code such as TAG_UNEXPECTED',
};

export const MAX_TAGS = 50;

/** How long the encryption switch waits for the instance to leave UPDATING. */
export const ENCRYPTION_TIMEOUT_MIN_SECONDS = 30;
export const ENCRYPTION_TIMEOUT_MAX_SECONDS = 7200;
export const ENCRYPTION_TIMEOUT_DEFAULT_SECONDS = 900;

/** The S3 backend's default key prefix: state of target `t` is `<prefix>/t.tfstate`. */
export const S3_DEFAULT_KEY_PREFIX = 'idc-cmk';

/** The partition a Region belongs to (the construct library's rule). */
export { partitionOfRegion } from '../modules/private/partitions';

/** The 12-digit account in an IAM ARN, or undefined. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/** The partition an ARN names, or undefined. */
export function partitionOfArn(arn: string): string | undefined {
  return /^arn:([^:]+):/.exec(arn)?.[1];
}

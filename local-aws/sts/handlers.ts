/**
 * STS (query protocol, XML responses): GetCallerIdentity and AssumeRole. AssumeRole issues temporary
 * credentials that act in the role's account and expire on the emulator's clock.
 */
import { randomBytes } from 'node:crypto';
import { AwsError, validationError } from '../errors';
import type { Handler } from '../handler';
import { ID_ALPHABET } from '../rng';
import { PARTITION, type CredentialRecord } from '../state';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const SESSION_DURATION_MIN_SECONDS = 900;
/** The role's maximum unless it says otherwise, as in IAM. */
export const DEFAULT_MAX_SESSION_SECONDS = 3600;
/** Role chaining caps a session at one hour. */
export const CHAINED_SESSION_MAX_SECONDS = 3600;
const ROLE_ARN = /^arn:[a-z-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const GetCallerIdentity: Handler = (ctx) => ({ UserId: ctx.caller.userId, Account: ctx.accountId, Arn: ctx.caller.arn });

/** STS (query protocol) names its input errors `ValidationError`, not the JSON services' `ValidationException`. */
const STS_VALIDATION_ERROR = 'ValidationError';

const AssumeRole: Handler = (ctx, input) => {
  const roleArnInput = input.RoleArn;
  const sessionName = input.RoleSessionName;
  if (typeof roleArnInput !== 'string' || roleArnInput.length < 20) throw validationError('roleArn', roleArnInput, 'Member must have length greater than or equal to 20', STS_VALIDATION_ERROR);
  if (typeof sessionName !== 'string' || !SESSION_NAME.test(sessionName)) {
    throw validationError('roleSessionName', sessionName, `Member must satisfy regular expression pattern: ${SESSION_NAME.source}`, STS_VALIDATION_ERROR);
  }
  const m = ROLE_ARN.exec(roleArnInput);
  const role = m ? ctx.state.accounts.get(m[1])?.roles.get(m[2]) : undefined;
  const denied = (): AwsError =>
    new AwsError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArnInput}`, 403);
  if (!role || !role.trustedAccounts.has(ctx.accountId)) throw denied();
  const chained = ctx.caller.kind === 'assumed-role';
  const max = chained ? Math.min(CHAINED_SESSION_MAX_SECONDS, role.maxSessionDurationSeconds) : role.maxSessionDurationSeconds;
  const duration = input.DurationSeconds === undefined ? Math.min(DEFAULT_MAX_SESSION_SECONDS, max) : Number(input.DurationSeconds);
  if (!Number.isInteger(duration) || duration < SESSION_DURATION_MIN_SECONDS || duration > max) {
    throw validationError('durationSeconds', input.DurationSeconds, `Member must be a whole number from ${SESSION_DURATION_MIN_SECONDS} to ${max} for this role`, STS_VALIDATION_ERROR);
  }
  const expiresAt = ctx.state.now() + duration * 1000;
  const credential: CredentialRecord = {
    accessKeyId: `ASIALOCAL${ctx.state.rng.chars(ID_ALPHABET, 11)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `LocalSession${randomBytes(48).toString('base64')}`,
    accountId: role.accountId,
    kind: 'assumed-role',
    arn: `arn:${PARTITION}:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.uniqueId}:${sessionName}`,
    roleName: role.roleName,
    expiresAt,
  };
  ctx.state.credentials.set(credential.accessKeyId, credential);
  return {
    Credentials: {
      AccessKeyId: credential.accessKeyId,
      SecretAccessKey: credential.secretAccessKey,
      SessionToken: credential.sessionToken,
      Expiration: new Date(expiresAt).toISOString(),
    },
    AssumedRoleUser: { AssumedRoleId: credential.userId, Arn: credential.arn },
  };
};

export const STS_OPERATIONS: Readonly<Record<string, Handler>> = { GetCallerIdentity, AssumeRole };

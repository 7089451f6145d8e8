/**
 * Classifies AWS SDK failures into our stable error codes, by the SDK error's `name` and
 * network error codes: never by message text. Messages never include credentials.
 */
import { ErrorCode, IdcCmkError } from '../core/errors';

const ACCESS_DENIED = new Set([
  'AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException',
  'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'ExpiredTokenException',
  'ExpiredToken', 'CredentialsProviderError',
]);
/**
 * The services' own "does not exist" errors. Not the SDK's `NotFound`, which names any 404 without an
 * error body (a wrong endpoint, a proxy): that says nothing about the resource.
 */
const NOT_FOUND = new Set(['NotFoundException', 'ResourceNotFoundException', 'NoSuchKey', 'NoSuchBucket']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'socket hang up']);

export function awsErrorCode(e: unknown): ErrorCode {
  const err = (e ?? {}) as { name?: string; code?: string; message?: string; $metadata?: unknown; cause?: unknown };
  const name = err.name ?? '';
  if (ACCESS_DENIED.has(name)) return 'AWS_ACCESS_DENIED';
  if (NOT_FOUND.has(name)) return 'AWS_NOT_FOUND';
  if (THROTTLED.has(name)) return 'AWS_THROTTLED';
  if (TIMEOUT.has(name)) return 'AWS_TIMEOUT';
  if ((err.code && UNREACHABLE.has(err.code)) || UNREACHABLE.has(name)) return 'AWS_UNREACHABLE';
  const cause = err.cause as { code?: string } | undefined;
  if (cause?.code && UNREACHABLE.has(cause.code)) return 'AWS_UNREACHABLE';
  if (isIdcCmkErrorLike(e)) return (e as IdcCmkError).code;
  return 'AWS_ERROR';
}

/** `kms:GetKeyPolicy: AccessDeniedException: User ... is not authorized` (first line of the message only). */
export function describeAwsError(operation: string, e: unknown): string {
  const err = (e ?? {}) as { name?: string; code?: string; message?: string };
  const kind = err.name && err.name !== 'Error' ? err.name : err.code ?? 'Error';
  const message = (err.message ?? String(e)).split('\n')[0];
  return message && message !== kind ? `${operation}: ${kind}: ${message}` : `${operation}: ${kind}`;
}

/** Failures of the caller's credentials themselves (none found, wrong secret, expired, unknown key): not a denial of the resource. */
const CREDENTIAL_PROBLEMS = new Set([
  'CredentialsProviderError', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'UnrecognizedClientException',
  'InvalidClientTokenId', 'ExpiredTokenException', 'ExpiredToken',
]);

export const CREDENTIALS_HINT =
  'the credentials themselves were not found or not accepted (no credentials, a wrong secret, an expired session): ' +
  'check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, or log in again';

/** The error as ours; a hint about the resource gives way to one about the credentials when they are the problem. */
export function toIdcCmkError(operation: string, e: unknown, hint?: string): IdcCmkError {
  if (isIdcCmkErrorLike(e)) return e as IdcCmkError;
  const name = ((e ?? {}) as { name?: string }).name ?? '';
  return new IdcCmkError(awsErrorCode(e), describeAwsError(operation, e), { cause: e, hint: CREDENTIAL_PROBLEMS.has(name) ? CREDENTIALS_HINT : hint });
}

function isIdcCmkErrorLike(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'IdcCmkError';
}

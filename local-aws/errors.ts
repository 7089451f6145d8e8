/**
 * Errors the emulator answers with, in AWS's shapes. A handler throws {@link AwsError}; the server turns
 * it into the wire format of the calling protocol (awsJson1_1 `__type`, STS query XML, S3 REST XML).
 */

/** HTTP status AWS uses for client errors in the JSON protocols, including ThrottlingException. */
export const CLIENT_ERROR_STATUS = 400;

export class AwsError extends Error {
  /** `__type` / `<Code>`: the name the SDK turns into the error's `name`. */
  public readonly type: string;
  public readonly status: number;
  /** Extra members of the error body, e.g. SSO Admin's `Reason`. */
  public readonly fields: Readonly<Record<string, string>>;

  constructor(type: string, message: string, status: number = CLIENT_ERROR_STATUS, fields: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'AwsError';
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** `ValidationException` naming the field, the value received and what is allowed. */
export function validationError(field: string, received: unknown, allowed: string, type = 'ValidationException'): AwsError {
  const shown = received === undefined ? 'null' : JSON.stringify(received);
  return new AwsError(type, `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${allowed}`);
}

/** Authentication failures per protocol family: JSON services (KMS, SSO) and query/XML services (STS, S3). */
export const AUTH_ERRORS = {
  unknownAccessKey: { json: 'UnrecognizedClientException', sts: 'InvalidClientTokenId', s3: 'InvalidAccessKeyId' },
  badSignature: { json: 'InvalidSignatureException', sts: 'SignatureDoesNotMatch', s3: 'SignatureDoesNotMatch' },
  expiredToken: { json: 'ExpiredTokenException', sts: 'ExpiredToken', s3: 'ExpiredToken' },
  missingAuth: { json: 'MissingAuthenticationTokenException', sts: 'MissingAuthenticationToken', s3: 'AccessDenied' },
} as const;

export type AuthFailure = keyof typeof AUTH_ERRORS;
export type ProtocolFamily = 'json' | 'sts' | 's3';

/** HTTP status of an authentication failure: JSON services use 400, STS and S3 use 403 (expired: 400). */
export function authErrorStatus(failure: AuthFailure, family: ProtocolFamily): number {
  if (family === 'json') return CLIENT_ERROR_STATUS;
  return failure === 'expiredToken' ? CLIENT_ERROR_STATUS : 403;
}

/**
 * Typed errors with stable codes. Every failure the user can cause or meet (bad input, AWS refusing,
 * unreadable state) is an {@link IdcCmkError}; anything else is a bug and is reported as INTERNAL.
 * Detect them with the guards, never by matching message text.
 */

/** Stable codes: part of the CLI and JSON output contract. Add, never rename. */
export const ERROR_CODES = [
  'INPUT_INVALID',
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'STATE_NOT_FOUND',
  'STATE_INVALID',
  'STATE_FOREIGN',
  'STATE_NO_RESOURCES',
  'TARGET_UNKNOWN',
  'POLICY_INVALID',
  'AWS_ACCESS_DENIED',
  'AWS_NOT_FOUND',
  'AWS_THROTTLED',
  'AWS_TIMEOUT',
  'AWS_UNREACHABLE',
  'AWS_ERROR',
  'PREFLIGHT_REFUSED',
  'PREFLIGHT_INCOMPLETE',
  'ENCRYPTION_UPDATE_FAILED',
  'ENCRYPTION_TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IdcCmkErrorOptions {
  /** The underlying error, printed below the message with --debug. */
  readonly cause?: unknown;
  /** Individual problems (one line each), e.g. every invalid field of a config file. */
  readonly details?: readonly string[];
  /** What the user can do about it. */
  readonly hint?: string;
}

export class IdcCmkError extends Error {
  public readonly code: ErrorCode;
  public readonly details: readonly string[];
  public readonly hint?: string;
  public override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, options: IdcCmkErrorOptions = {}) {
    super(message);
    this.name = 'IdcCmkError';
    this.code = code;
    this.details = options.details ?? [];
    this.hint = options.hint;
    this.cause = options.cause;
  }
}

export function isIdcCmkError(e: unknown): e is IdcCmkError {
  return e instanceof IdcCmkError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'IdcCmkError' && typeof (e as { code?: unknown }).code === 'string');
}

/** Bad user input (a flag, a file, a value). */
export function inputError(message: string, details?: readonly string[], hint?: string): IdcCmkError {
  return new IdcCmkError('INPUT_INVALID', message, { details, hint });
}

/**
 * One validation problem, phrased the same way everywhere: the field, the value received, what is allowed.
 * `describeProblem('rotationPeriodInDays', 30, 'a whole number from 90 to 2560')`
 *   -> `rotationPeriodInDays: got 30; allowed: a whole number from 90 to 2560`
 */
export function describeProblem(field: string, received: unknown, allowed: string): string {
  return `${field}: got ${formatValue(received)}; allowed: ${allowed}`;
}

/** Render a received value for a message: strings quoted, objects as compact JSON, long values cut. */
export function formatValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

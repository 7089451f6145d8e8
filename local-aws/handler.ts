/** The contract between the server and each service's operation handlers. */
import { AwsError, validationError } from './errors';
import type { CredentialRecord, LocalAwsState } from './state';

/** Behaviour switches the handlers read (resolved from LocalAwsOptions). */
export interface HandlerSettings {
  /** How long UpdateInstance stays UPDATING before it settles, in ms. */
  readonly instanceUpdateDelayMs: number;
}

export interface RequestContext {
  readonly state: LocalAwsState;
  readonly settings: HandlerSettings;
  /** The verified credential: the request acts in its account. */
  readonly caller: CredentialRecord;
  readonly accountId: string;
  /** Region from the signature's credential scope. */
  readonly region: string;
}

export type Input = Readonly<Record<string, unknown>>;
export type Handler = (ctx: RequestContext, input: Input) => unknown;

/** Epoch ms -> the epoch-seconds number awsJson1_1 uses for timestamps. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms) / 1000;
}

export function requireString(input: Input, field: string, allowed = 'a non-empty string'): string {
  const v = input[field];
  if (typeof v !== 'string' || v.length === 0) throw validationError(field, v, `Member must be ${allowed}`);
  return v;
}

export function optionalString(input: Input, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validationError(field, v, 'Member must be a string');
  return v;
}

/** An optional whole number within [min, max]. */
export function optionalInt(input: Input, field: string, min: number, max: number): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw validationError(field, v, `Member must be a whole number from ${min} to ${max}`);
  }
  return v;
}

/** Offset-based pagination with opaque markers, shared by every List operation. */
export interface Page<T> {
  readonly items: T[];
  /** Undefined on the last page. */
  readonly next?: string;
}

export function paginate<T>(items: readonly T[], limit: number, marker: string | undefined, markerError = 'InvalidMarkerException'): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^local-page:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!decoded) throw new AwsError(markerError, `The marker ${JSON.stringify(marker)} is not valid.`);
    start = Number(decoded[1]);
  }
  const end = start + limit;
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(`local-page:${end}`, 'utf8').toString('base64url') : undefined,
  };
}

/**
 * What one check returns: findings, and the reads it could not use ("could not check", never drift).
 * A check is a small pure function `(expected, live, ctx) => CheckOutcome`.
 */
import { findingDefinition, type FindingCode } from '../findings';
import type { Finding, Read, ReadFailure, Severity } from '../model';

export interface CheckOutcome {
  readonly findings: readonly Finding[];
  readonly unknown: readonly ReadFailure[];
}

export const NOTHING: CheckOutcome = { findings: [], unknown: [] };

export function unknown(...failures: ReadFailure[]): CheckOutcome {
  return { findings: [], unknown: failures };
}

export function found(...findings: Finding[]): CheckOutcome {
  return { findings, unknown: [] };
}

export function merge(...outcomes: readonly CheckOutcome[]): CheckOutcome {
  return { findings: outcomes.flatMap((o) => o.findings), unknown: outcomes.flatMap((o) => o.unknown) };
}

/** The failure of a read, or undefined when it succeeded. */
export function failureOf<T>(read: Read<T>): ReadFailure | undefined {
  return read.ok ? undefined : read.error;
}

export interface FindingFields {
  readonly address: string;
  readonly attribute: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** Specifics appended to the registry title, e.g. "on 2026-01-02". */
  readonly detail?: string;
  /** Overrides the registry severity (e.g. a widening to `*` is critical). */
  readonly severity?: Severity;
}

/** Builds findings for one target from the registry: checks supply only the specifics. */
export class FindingFactory {
  constructor(private readonly target: string) {}

  make(code: FindingCode, fields: FindingFields): Finding {
    const def = findingDefinition(code);
    return {
      code,
      severity: fields.severity ?? def.severity,
      target: this.target,
      address: fields.address,
      attribute: fields.attribute,
      ...(fields.expected !== undefined ? { expected: fields.expected } : {}),
      ...(fields.actual !== undefined ? { actual: fields.actual } : {}),
      message: fields.detail ? `${def.title}: ${fields.detail}` : def.title,
      remediation: def.remediation,
      ...(def.changeClass ? { changeClass: def.changeClass } : {}),
    };
  }
}

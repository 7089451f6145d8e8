/**
 * Key (and replica) policy: compared for meaning by policy/compare.ts, each difference mapped to a
 * finding by its class: security -> *_WIDENED, outage -> *_IDC_ACCESS_REMOVED, cosmetic -> *_SID_RENAMED,
 * a deleted principal -> *_PRINCIPAL_DELETED, anything else -> *_CHANGED.
 */
import { isDeepStrictEqual } from 'util';
import { canonicalPolicyText } from '../../../policy/canonical';
import { comparePolicies, type PolicyDifference } from '../../../policy/compare';
import type { IdentityCenterContext } from '../../../policy/identity-center';
import { parsePolicy } from '../../../policy/parse';
import type { PolicyDocument } from '../../../policy/types';
import { isIdcCmkError } from '../../../core/errors';
import type { FindingCode } from '../../findings';
import type { Finding, PolicyDiff, Read, ReadFailure, Severity } from '../../model';
import { type CheckOutcome, type FindingFactory } from '../outcome';

export interface PolicyCheckInput {
  /** Address of the resource that holds the policy in state. */
  readonly address: string;
  readonly expected: string;
  readonly live: Read<string>;
  /** `key` or `replica`: picks the finding family. */
  readonly scope: 'key' | 'replica';
  readonly identityCenter?: IdentityCenterContext;
  /** e.g. `in eu-central-1` for replicas. */
  readonly where?: string;
}

export interface PolicyCheckOutcome extends CheckOutcome {
  readonly diff?: PolicyDiff;
}

const CODES: Record<'key' | 'replica', Record<'widened' | 'outage' | 'cosmetic' | 'deleted' | 'changed', FindingCode>> = {
  key: { widened: 'POLICY_WIDENED', outage: 'POLICY_IDC_ACCESS_REMOVED', cosmetic: 'POLICY_SID_RENAMED', deleted: 'POLICY_PRINCIPAL_DELETED', changed: 'POLICY_CHANGED' },
  replica: {
    widened: 'REPLICA_POLICY_WIDENED',
    outage: 'REPLICA_POLICY_IDC_ACCESS_REMOVED',
    cosmetic: 'REPLICA_POLICY_SID_RENAMED',
    deleted: 'REPLICA_POLICY_PRINCIPAL_DELETED',
    changed: 'REPLICA_POLICY_CHANGED',
  },
};

export function checkPolicy(input: PolicyCheckInput, f: FindingFactory): PolicyCheckOutcome {
  if (!input.live.ok) return { findings: [], unknown: [input.live.error] };
  // The same document (as text, or as JSON values) means the same: no need to compare meaning, at a
  // fraction of the cost of canonicalizing both.
  if (input.expected === input.live.value) return { findings: [], unknown: [] };
  const expectedJson = jsonOrText(input.expected);
  const liveJson = jsonOrText(input.live.value);
  if (typeof expectedJson !== 'string' && isDeepStrictEqual(expectedJson, liveJson)) return { findings: [], unknown: [] };
  const expected = parse(expectedJson, `${input.address}.policy (state)`, 'state:policy');
  if (!expected.ok) return { findings: [], unknown: [expected.error] };
  const actual = parse(liveJson, `live policy of ${input.address}`, 'kms:GetKeyPolicy');
  if (!actual.ok) return { findings: [], unknown: [actual.error] };

  const comparison = comparePolicies(expected.value, actual.value, input.identityCenter ? { identityCenter: input.identityCenter } : {});
  if (comparison.equivalent) return { findings: [], unknown: [] };
  const findings: Finding[] = comparison.differences.map((d) => toFinding(d, input, f));
  return {
    findings,
    unknown: [],
    diff: { address: input.address, expected: canonicalPolicyText(expected.value), actual: canonicalPolicyText(actual.value) },
  };
}

/** The text parsed as JSON once, for both the equality check and the parser; the text itself when it is not JSON (the parser says why). */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toFinding(d: PolicyDifference, input: PolicyCheckInput, f: FindingFactory): Finding {
  const codes = CODES[input.scope];
  const code =
    d.kind === 'deleted-principal'
      ? codes.deleted
      : d.changeClass === 'security'
        ? codes.widened
        : d.changeClass === 'outage'
          ? codes.outage
          : d.changeClass === 'cosmetic'
            ? codes.cosmetic
            : codes.changed;
  return f.make(code, {
    address: input.address,
    attribute: policyAttribute(d),
    expected: d.expected,
    actual: d.actual,
    detail: input.where ? `${d.message} (${input.where})` : d.message,
    ...(code === codes.widened ? { severity: widenedSeverity(d) } : {}),
  });
}

/**
 * Critical: a widening that adds a wildcard (`*` principal, `kms:*`, a `*` in a value), removes a
 * condition, switches an Allow to a Not* element (everything not listed), or adds an Allow statement
 * with a wildcard, a Not* element, or any action beyond reading metadata (a named account that may
 * call PutKeyPolicy or Decrypt can take or use the key), or adds such an action to an existing Allow.
 * High: any other widening (a named principal added to a statement, a Describe/Get/List action, a
 * statement granting only Describe/Get/List).
 */
export function widenedSeverity(d: PolicyDifference): Severity {
  const added = d.added ?? [];
  if (added.some((v) => v.includes('*'))) return 'critical';
  if (d.element === 'condition' && d.kind === 'removed') return 'critical';
  if ((d.element === 'not-principal' || d.element === 'not-action' || d.element === 'not-resource') && d.kind === 'changed' && d.changeClass === 'security') return 'critical';
  if (d.element === 'statement' && d.kind === 'added' && addedStatementIsCritical(d.actual)) return 'critical';
  // The same grant written into an existing statement is as dangerous as in a new one.
  if (d.element === 'action' && added.some((a) => !isMetadataRead(a))) return 'critical';
  if (d.element === 'principal' && JSON.stringify(d.actual ?? '').includes('"*"') && !JSON.stringify(d.expected ?? '').includes('"*"')) return 'critical';
  return 'high';
}

/**
 * Whether an added statement (as statementBody renders it) is critical: a wildcard principal or action,
 * a Not* element, or any action beyond reading metadata (Describe*, Get*, List*). `Resource: "*"` is
 * every key policy statement's resource (the key itself), so it does not count.
 */
function addedStatementIsCritical(statement: unknown): boolean {
  const s = (statement ?? {}) as { Principal?: unknown; NotPrincipal?: unknown; Action?: unknown; NotAction?: unknown };
  if (s.NotPrincipal !== undefined || s.NotAction !== undefined) return true;
  if (JSON.stringify(s.Principal ?? '').includes('*')) return true;
  const actions = Array.isArray(s.Action) ? s.Action : s.Action === undefined ? [] : [s.Action];
  return actions.some((a) => typeof a !== 'string' || !isMetadataRead(a));
}

/** Describe*, Get*, List*: reading the key's metadata, nothing more (no wildcard). */
function isMetadataRead(action: string): boolean {
  return !action.includes('*') && /^kms:(describe|get|list)/i.test(action);
}

/** `policy`, `policy.<Sid or #index>`, `policy.<Sid>.<element>`, for the ignore file and the report. */
export function policyAttribute(d: PolicyDifference): string {
  if (!d.statement) return `policy.${d.element}`;
  const s = d.statement;
  const name = s.sid ?? `#${s.expectedIndex ?? s.actualIndex ?? '?'}`;
  return d.element === 'statement' ? `policy.${name}` : `policy.${name}.${d.element}`;
}

function parse(text: unknown, source: string, operation: string): { ok: true; value: PolicyDocument } | { ok: false; error: ReadFailure } {
  try {
    return { ok: true, value: parsePolicy(text, source) };
  } catch (e) {
    const details = isIdcCmkError(e) && e.details.length ? `: ${e.details.join('; ')}` : '';
    return {
      ok: false,
      error: { code: isIdcCmkError(e) ? e.code : 'POLICY_INVALID', operation, message: `${(e as Error).message}${details}` },
    };
  }
}

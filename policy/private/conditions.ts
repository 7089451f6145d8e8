/**
 * Condition evaluation for one resource policy: operators, IfExists, ForAnyValue/ForAllValues,
 * policy variables. Follows the IAM reference ("IAM JSON policy elements: Condition operators" and
 * "Single-valued vs. multivalued condition keys").
 */
import { BlockList, isIP } from 'net';
import type { ConditionBlock } from '../types';
import { arnMatch, wildcardMatch } from './wildcard';
import { conditionValueText, toList } from './values';

export type ContextValue = string | readonly string[] | boolean;
export type RequestContext = Readonly<Record<string, ContextValue>>;

type Comparer = (policyValue: string, requestValue: string) => boolean;

interface OperatorSpec {
  readonly compare: Comparer;
  /** Negated operators (StringNotEquals, ...) are true when no policy value matches. */
  readonly negated: boolean;
  /** Whether `${...}` policy variables are resolved in the policy values. */
  readonly variables: boolean;
}

const numeric = (test: (p: number, r: number) => boolean): Comparer => (p, r) => {
  const a = Number(p);
  const b = Number(r);
  return p.trim() !== '' && r.trim() !== '' && !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
};

function parseDate(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}
const date = (test: (p: number, r: number) => boolean): Comparer => (p, r) => {
  const a = parseDate(p);
  const b = parseDate(r);
  return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
};

/** `aws:SourceIp` against an IPv4 or IPv6 address or CIDR block (IpAddress, NotIpAddress). */
const ipAddress: Comparer = (p, r) => {
  const [address, bits] = p.trim().split('/');
  const family = isIP(address ?? '');
  const requestFamily = isIP(r.trim());
  if (family === 0 || requestFamily !== family) return false;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return false; // "10.0.0.0/" is no CIDR: it matches nothing
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(r.trim(), family === 4 ? 'ipv4' : 'ipv6');
};

const stringEquals: Comparer = (p, r) => p === r;
const stringEqualsIgnoreCase: Comparer = (p, r) => p.toLowerCase() === r.toLowerCase();
const stringLike: Comparer = (p, r) => wildcardMatch(p, r);

/** Every base operator we evaluate, without IfExists or set prefixes. */
export const CONDITION_OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: { compare: stringEquals, negated: false, variables: true },
  StringNotEquals: { compare: stringEquals, negated: true, variables: true },
  StringEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: false, variables: true },
  StringNotEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: true, variables: true },
  StringLike: { compare: stringLike, negated: false, variables: true },
  StringNotLike: { compare: stringLike, negated: true, variables: true },
  ArnEquals: { compare: arnMatch, negated: false, variables: true },
  ArnLike: { compare: arnMatch, negated: false, variables: true },
  ArnNotEquals: { compare: arnMatch, negated: true, variables: true },
  ArnNotLike: { compare: arnMatch, negated: true, variables: true },
  Bool: { compare: stringEqualsIgnoreCase, negated: false, variables: false },
  BinaryEquals: { compare: stringEquals, negated: false, variables: false },
  NumericEquals: { compare: numeric((p, r) => r === p), negated: false, variables: false },
  NumericNotEquals: { compare: numeric((p, r) => r === p), negated: true, variables: false },
  NumericLessThan: { compare: numeric((p, r) => r < p), negated: false, variables: false },
  NumericLessThanEquals: { compare: numeric((p, r) => r <= p), negated: false, variables: false },
  NumericGreaterThan: { compare: numeric((p, r) => r > p), negated: false, variables: false },
  NumericGreaterThanEquals: { compare: numeric((p, r) => r >= p), negated: false, variables: false },
  DateEquals: { compare: date((p, r) => r === p), negated: false, variables: false },
  DateNotEquals: { compare: date((p, r) => r === p), negated: true, variables: false },
  DateLessThan: { compare: date((p, r) => r < p), negated: false, variables: false },
  DateLessThanEquals: { compare: date((p, r) => r <= p), negated: false, variables: false },
  DateGreaterThan: { compare: date((p, r) => r > p), negated: false, variables: false },
  DateGreaterThanEquals: { compare: date((p, r) => r >= p), negated: false, variables: false },
  IpAddress: { compare: ipAddress, negated: false, variables: false },
  NotIpAddress: { compare: ipAddress, negated: true, variables: false },
};

export const NULL_OPERATOR = 'Null';
export const IF_EXISTS_SUFFIX = 'IfExists';
export const SET_PREFIXES = ['ForAnyValue', 'ForAllValues'] as const;
export type SetPrefix = (typeof SET_PREFIXES)[number];

export interface ParsedOperator {
  readonly set?: SetPrefix;
  readonly base: string;
  readonly ifExists: boolean;
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; undefined when the operator is unknown. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let set: SetPrefix | undefined;
  for (const prefix of SET_PREFIXES) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  let ifExists = false;
  if (rest !== NULL_OPERATOR && rest.endsWith(IF_EXISTS_SUFFIX)) {
    ifExists = true;
    rest = rest.slice(0, -IF_EXISTS_SUFFIX.length);
  }
  if (rest !== NULL_OPERATOR && !(rest in CONDITION_OPERATORS)) return undefined;
  if (rest === NULL_OPERATOR && set) return undefined;
  return { set, base: rest, ifExists };
}

/** Looks a key up case-insensitively (IAM condition keys are case-insensitive). */
export function lookupContext(context: RequestContext, key: string): readonly string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) {
    if (k.toLowerCase() === wanted) {
      if (typeof v === 'boolean') return [String(v)];
      return typeof v === 'string' ? [v] : v;
    }
  }
  return undefined;
}

const VARIABLE = /\$\{([^}]*)\}/g;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/**
 * Resolves `${aws:ResourceAccount}`-style variables from the request context (single values only),
 * with `${key, 'default'}` defaults and the `${*}`, `${?}`, `${$}` escapes. Undefined when a variable
 * has no value: IAM then treats the policy value as not matching.
 */
export function resolveVariables(text: string, context: RequestContext): string | undefined {
  let unresolved = false;
  const out = text.replace(VARIABLE, (_all, inner: string) => {
    const escaped = ESCAPES[inner];
    if (escaped !== undefined) return escaped;
    const [rawKey, rawDefault] = inner.split(',', 2);
    const values = lookupContext(context, (rawKey ?? '').trim());
    if (values && values.length === 1) return values[0] as string;
    const fallback = rawDefault?.trim().match(/^'(.*)'$/);
    if (fallback) return fallback[1] as string;
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : out;
}

function matchesOne(spec: OperatorSpec, policyValues: readonly (string | undefined)[], requestValue: string): boolean {
  const anyMatch = policyValues.some((p) => p !== undefined && spec.compare(p, requestValue));
  return spec.negated ? !anyMatch : anyMatch;
}

/** One operator/key pair: values OR-ed, with the set and IfExists semantics. */
export function evaluateConditionEntry(
  operator: string,
  key: string,
  rawValues: readonly (string | number | boolean)[],
  context: RequestContext,
): boolean {
  const parsed = parseOperator(operator);
  if (!parsed) return false;
  const requestValues = lookupContext(context, key);
  const missing = requestValues === undefined || requestValues.length === 0;
  const texts = rawValues.map(conditionValueText);

  if (parsed.base === NULL_OPERATOR) {
    // Null: "true" means the key must be absent, "false" that it must be present.
    return texts.some((t) => (t.toLowerCase() === 'true' ? missing : !missing));
  }
  const spec = CONDITION_OPERATORS[parsed.base] as OperatorSpec;
  if (missing) {
    if (parsed.ifExists) return true;
    if (parsed.set === 'ForAllValues') return true;
    if (parsed.set === 'ForAnyValue') return false;
    return spec.negated;
  }
  const policyValues = spec.variables ? texts.map((t) => resolveVariables(t, context)) : texts;
  if (parsed.set === 'ForAllValues') return requestValues.every((r) => matchesOne(spec, policyValues, r));
  if (parsed.set === 'ForAnyValue') return requestValues.some((r) => matchesOne(spec, policyValues, r));
  // A single-valued operator on a multivalued key: negated operators need every value to pass.
  return spec.negated
    ? requestValues.every((r) => matchesOne(spec, policyValues, r))
    : requestValues.some((r) => matchesOne(spec, policyValues, r));
}

/** A whole Condition block: operators and keys AND-ed. */
export function evaluateCondition(block: ConditionBlock | undefined, context: RequestContext): boolean {
  if (!block) return true;
  return Object.entries(block).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => evaluateConditionEntry(operator, key, toList(values), context)),
  );
}

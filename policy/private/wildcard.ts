/**
 * IAM's wildcard matching (`*` any run of characters, `?` exactly one), used for actions, resources,
 * String*Like and Arn* condition operators. Pure and cached: patterns are compiled once.
 */

const cache = new Map<string, RegExp>();

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let re = cache.get(cacheKey);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    cache.set(cacheKey, re);
  }
  return re;
}

/** True when `value` matches the IAM wildcard `pattern`. */
export function wildcardMatch(pattern: string, value: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return options.ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compile(pattern, options.ignoreCase ?? false).test(value);
}

/** Number of fields in an ARN: `arn:partition:service:region:account:resource` (the resource may hold colons). */
const ARN_FIELDS = 6;

/** Splits an ARN into its six fields, or undefined when it is not an ARN. */
export function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < ARN_FIELDS || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, ARN_FIELDS - 1), parts.slice(ARN_FIELDS - 1).join(':')];
}

/**
 * ArnEquals/ArnLike: field by field, each field a wildcard pattern (IAM treats both operators alike).
 * A pattern that is not an ARN shape only matches through a whole-string wildcard.
 */
export function arnMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((field, i) => wildcardMatch(field, v[i] as string));
}

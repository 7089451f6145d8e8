/**
 * Reads a policy document from JSON (or an already-decoded value) and validates its structure, reporting
 * every problem at once with its JSON path: `Statement[2].Effect: got "allow "; allowed: "Allow" or "Deny"`.
 * A single statement object is accepted in place of an array, and a JSON string holding a policy (as
 * Terraform state and some APIs return it) is decoded once more.
 */
import { IdcCmkError, describeProblem } from '../core/errors';
import type { PolicyDocument, PolicyStatement } from './types';
import { parseOperator } from './private/conditions';

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
/** What IAM reads a document without Version as. */
export const DEFAULT_POLICY_VERSION = '2008-10-17';
export const EFFECTS = ['Allow', 'Deny'] as const;
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;
/** `service:Action` with wildcards, or `*`. */
const ACTION_PATTERN = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

const quoted = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(' or ');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parsePolicy(input: unknown, source = 'policy'): PolicyDocument {
  let value = input;
  for (let decode = 0; typeof value === 'string' && decode < 2; decode++) {
    try {
      value = JSON.parse(value);
    } catch (e) {
      throw new IdcCmkError('POLICY_INVALID', `${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  const problems: string[] = [];
  const doc = validateDocument(value, problems);
  if (problems.length > 0 || !doc) {
    throw new IdcCmkError('POLICY_INVALID', `${source} is not a valid IAM policy document (${problems.length} problem${problems.length === 1 ? '' : 's'})`, {
      details: problems,
    });
  }
  return doc;
}

function validateDocument(value: unknown, problems: string[]): PolicyDocument | undefined {
  if (!isObject(value)) {
    problems.push(describeProblem('(document)', value, 'a JSON object with Version and Statement'));
    return undefined;
  }
  unknownKeys(value, DOCUMENT_KEYS, '', problems);
  // IAM reads a document without Version as 2008-10-17 (KMS accepts such key policies).
  if (value.Version !== undefined && !(POLICY_VERSIONS as readonly unknown[]).includes(value.Version)) {
    problems.push(describeProblem('Version', value.Version, `${quoted(POLICY_VERSIONS)}, or none (read as "2008-10-17")`));
  }
  if (value.Id !== undefined && typeof value.Id !== 'string') problems.push(describeProblem('Id', value.Id, 'a string'));
  const raw = value.Statement;
  let statements: unknown[];
  if (Array.isArray(raw)) statements = raw;
  else if (isObject(raw)) statements = [raw];
  else {
    problems.push(describeProblem('Statement', raw, 'a statement object or an array of them'));
    return undefined;
  }
  if (statements.length === 0) problems.push(describeProblem('Statement', raw, 'at least one statement'));
  statements.forEach((s, i) => validateStatement(s, `Statement[${i}]`, problems));
  return { ...(value as object), Version: value.Version ?? DEFAULT_POLICY_VERSION, Statement: statements } as unknown as PolicyDocument;
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, problems: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(describeProblem(`${path}${path ? '.' : ''}${key}`, value[key], `no such element; allowed: ${allowed.join(', ')}`));
  }
}

function validateStatement(s: unknown, path: string, problems: string[]): void {
  if (!isObject(s)) {
    problems.push(describeProblem(path, s, 'a statement object'));
    return;
  }
  unknownKeys(s, STATEMENT_KEYS, path, problems);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') problems.push(describeProblem(`${path}.Sid`, s.Sid, 'a string'));
  if (!(EFFECTS as readonly unknown[]).includes(s.Effect)) problems.push(describeProblem(`${path}.Effect`, s.Effect, quoted(EFFECTS)));
  exactlyOne(s, 'Action', 'NotAction', path, problems, true);
  exactlyOne(s, 'Principal', 'NotPrincipal', path, problems, false);
  exactlyOne(s, 'Resource', 'NotResource', path, problems, false);
  for (const key of ['Action', 'NotAction'] as const) {
    if (s[key] !== undefined) stringList(s[key], `${path}.${key}`, problems, (a) => ACTION_PATTERN.test(a), 'an action name "service:Action" (wildcards allowed) or "*"');
  }
  for (const key of ['Resource', 'NotResource'] as const) {
    if (s[key] !== undefined) stringList(s[key], `${path}.${key}`, problems);
  }
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    if (s[key] !== undefined) validatePrincipal(s[key], `${path}.${key}`, problems);
  }
  if (s.Condition !== undefined) validateCondition(s.Condition, `${path}.Condition`, problems);
}

function exactlyOne(s: Record<string, unknown>, a: keyof PolicyStatement, b: keyof PolicyStatement, path: string, problems: string[], required: boolean): void {
  const has = (k: string) => s[k] !== undefined;
  if (has(a) && has(b)) problems.push(describeProblem(`${path}.${a}`, s[a], `either ${a} or ${b}, not both`));
  else if (required && !has(a) && !has(b)) problems.push(describeProblem(`${path}.${a}`, undefined, `exactly one of ${a} or ${b}`));
}

function stringList(value: unknown, path: string, problems: string[], valid?: (v: string) => boolean, allowed = 'a non-empty string'): void {
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && value.length === 0) {
    problems.push(describeProblem(path, value, 'a string or a non-empty array of strings'));
    return;
  }
  items.forEach((item, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (typeof item !== 'string' || item === '') problems.push(describeProblem(at, item, allowed));
    else if (valid && !valid(item)) problems.push(describeProblem(at, item, allowed));
  });
}

function validatePrincipal(value: unknown, path: string, problems: string[]): void {
  if (value === '*') return;
  if (!isObject(value)) {
    problems.push(describeProblem(path, value, `"*" or an object with ${PRINCIPAL_TYPES.join(', ')}`));
    return;
  }
  if (Object.keys(value).length === 0) problems.push(describeProblem(path, value, `"*" or at least one of ${PRINCIPAL_TYPES.join(', ')}`));
  unknownKeys(value, PRINCIPAL_TYPES, path, problems);
  for (const type of PRINCIPAL_TYPES) {
    if (value[type] !== undefined) stringList(value[type], `${path}.${type}`, problems);
  }
}

function validateCondition(value: unknown, path: string, problems: string[]): void {
  if (!isObject(value)) {
    problems.push(describeProblem(path, value, 'an object of condition operators'));
    return;
  }
  for (const [operator, keys] of Object.entries(value)) {
    const at = `${path}.${operator}`;
    if (!parseOperator(operator)) problems.push(describeProblem(at, operator, 'a condition operator such as StringEquals, ArnLike, Bool, Null, with optional IfExists and ForAnyValue:/ForAllValues:'));
    if (!isObject(keys) || Object.keys(keys).length === 0) {
      problems.push(describeProblem(at, keys, 'an object of condition keys'));
      continue;
    }
    for (const [key, values] of Object.entries(keys)) {
      const items = Array.isArray(values) ? values : [values];
      if (Array.isArray(values) && values.length === 0) problems.push(describeProblem(`${at}.${key}`, values, 'a value or a non-empty array of values'));
      items.forEach((v, i) => {
        if (!['string', 'number', 'boolean'].includes(typeof v)) {
          problems.push(describeProblem(Array.isArray(values) ? `${at}.${key}[${i}]` : `${at}.${key}`, v, 'a string, number or boolean'));
        }
      });
    }
  }
}

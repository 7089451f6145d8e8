/**
 * A small IAM evaluator for key policies, enough for the emulator to decide what AWS decides when
 * Identity Center validates a key: principals (`*`, AWS, Service, NotPrincipal), Action/NotAction with
 * wildcards, Resource/NotResource, and the condition operators the Identity Center templates use
 * (String*, Arn*, Bool, Null, with ForAnyValue:/ForAllValues: and IfExists), policy variables included.
 * Anything it does not understand fails closed (the statement does not apply).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One request to evaluate. Context values are strings, or string lists for multi-valued keys. */
export interface EvalRequest {
  readonly principal: { readonly type: 'Service' | 'AWS'; readonly id: string };
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export function evaluateKeyPolicy(doc: { [k: string]: Json }, req: EvalRequest): Decision {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  let allowed = false;
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) continue;
    if (!statementApplies(s, req)) continue;
    if (s.Effect === 'Deny') return 'explicit-deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function list(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

function principalMatches(p: Json | undefined, req: EvalRequest): boolean {
  if (p === '*') return true;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return false;
  const values = list(p[req.principal.type]);
  if (list(p.AWS).includes('*')) return true;
  return values.includes(req.principal.id);
}

function statementApplies(s: { [k: string]: Json }, req: EvalRequest): boolean {
  if (s.Principal !== undefined && !principalMatches(s.Principal, req)) return false;
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, req)) return false;
  if (s.Principal === undefined && s.NotPrincipal === undefined) return false;
  if (s.Action !== undefined && !list(s.Action).some((a) => wildcard(a, req.action, true))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => wildcard(a, req.action, true))) return false;
  if (s.Action === undefined && s.NotAction === undefined) return false;
  if (s.Resource !== undefined && !list(s.Resource).some((r) => wildcard(r, req.resource))) return false;
  if (s.NotResource !== undefined && list(s.NotResource).some((r) => wildcard(r, req.resource))) return false;
  const cond = s.Condition;
  if (cond === undefined) return true;
  if (typeof cond !== 'object' || cond === null || Array.isArray(cond)) return false;
  for (const [op, block] of Object.entries(cond)) {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) return false;
    for (const [key, values] of Object.entries(block)) {
      if (!conditionHolds(op, key, list(values), req)) return false;
    }
  }
  return true;
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

function compare(base: string, policyValue: string, actual: string): boolean | undefined {
  switch (base) {
    case 'StringEquals': case 'StringNotEquals': return policyValue === actual;
    case 'StringEqualsIgnoreCase': case 'StringNotEqualsIgnoreCase': return policyValue.toLowerCase() === actual.toLowerCase();
    case 'StringLike': case 'StringNotLike': case 'ArnLike': case 'ArnNotLike': return wildcard(policyValue, actual);
    case 'ArnEquals': case 'ArnNotEquals': return policyValue === actual;
    case 'Bool': return policyValue.toLowerCase() === actual.toLowerCase();
    default: return undefined;
  }
}

function substitute(value: string, ctx: EvalRequest['context']): string | undefined {
  let failed = false;
  const out = value.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const v = ctx[name] ?? ctx[Object.keys(ctx).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ''];
    if (typeof v !== 'string') {
      failed = true;
      return '';
    }
    return v;
  });
  return failed ? undefined : out;
}

function conditionHolds(operator: string, key: string, policyValues: string[], req: EvalRequest): boolean {
  let op = operator;
  let setMode: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) { setMode = 'any'; op = op.slice('ForAnyValue:'.length); }
  else if (op.startsWith('ForAllValues:')) { setMode = 'all'; op = op.slice('ForAllValues:'.length); }
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const ctxKey = Object.keys(req.context).find((k) => k.toLowerCase() === key.toLowerCase());
  const raw = ctxKey === undefined ? undefined : req.context[ctxKey];
  if (op === 'Null') {
    const wantsAbsent = policyValues.some((v) => v.toLowerCase() === 'true');
    return wantsAbsent === (raw === undefined);
  }
  const negated = NEGATED.has(op);
  if (raw === undefined) {
    if (ifExists) return true;
    if (setMode === 'all') return true;
    if (setMode === 'any') return false;
    return negated;
  }
  const resolved = policyValues.map((v) => substitute(v, req.context)).filter((v): v is string => v !== undefined);
  const test = (actual: string): boolean | undefined => {
    const results = resolved.map((pv) => compare(op, pv, actual));
    if (results.some((r) => r === undefined)) return undefined;
    return negated ? !results.some(Boolean) : results.some(Boolean);
  };
  const actuals = Array.isArray(raw) ? raw : [raw as string];
  const outcomes = actuals.map(test);
  if (outcomes.some((o) => o === undefined)) return false;
  if (setMode === 'all') return outcomes.every(Boolean);
  return outcomes.some(Boolean);
}

/**
 * How KMS stores and gives back key policies. A policy is stored as sent; GetKeyPolicy returns it
 * re-serialised the way AWS does, which is what trips naive drift tools:
 * - pretty-printed with `" : "` separators (Jackson style);
 * - statements and the values of Action/Resource/Principal/condition arrays in another order
 *   (deterministic per key and policy, so repeated reads agree);
 * - one-element arrays written as a bare string;
 * - a bare account ID principal rewritten to `arn:aws:iam::ID:root`;
 * - a role principal whose role was deleted (or deleted and recreated) shown as its unique ID `AROA...`.
 */
import { AwsError } from '../errors';
import { hashSeed, SeededRandom } from '../rng';
import { accountRootArn, type LocalAwsState, type StoredPolicy } from '../state';

/** KMS's limit on a key policy, in bytes. */
export const KEY_POLICY_MAX_BYTES = 32_768;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:[a-z-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const SHUFFLED_ARRAY_FIELDS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocumentException', message);
}

/** Parses and checks a policy the way PutKeyPolicy does; throws MalformedPolicyDocumentException. */
export function parseKeyPolicy(text: unknown): { [k: string]: Json } {
  if (typeof text !== 'string' || text.length === 0) throw malformed('The new key policy is empty.');
  if (Buffer.byteLength(text, 'utf8') > KEY_POLICY_MAX_BYTES) {
    throw malformed(`The key policy is ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${KEY_POLICY_MAX_BYTES}.`);
  }
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    throw malformed('The new key policy contains invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('The key policy must be a JSON object.');
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw malformed(`The policy version ${JSON.stringify(doc.Version)} is not supported; use 2012-10-17.`);
  }
  // KMS: printable ASCII and Latin-1 (U+0020 to U+00FF), tab, LF and CR only.
  if (/[^\t\n\r\u0020-\u00ff]/u.test(text)) throw malformed('The key policy contains characters outside the allowed set (printable ASCII and Latin-1, tab, LF, CR).');
  const statements = doc.Statement;
  if (statements === undefined || (typeof statements !== 'object') || statements === null) {
    throw malformed('The key policy must contain a Statement.');
  }
  for (const s of Array.isArray(statements) ? statements : [statements]) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw malformed('Each statement must be a JSON object.');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`Statement ${JSON.stringify(s.Sid ?? '')}: Effect must be Allow or Deny.`);
  }
  return doc;
}

/** Validates and stores a policy, remembering the unique ID of every role principal as it is now. */
export function storePolicy(state: LocalAwsState, text: unknown): StoredPolicy {
  const doc = parseKeyPolicy(text);
  const principalIds = new Map<string, string>();
  forEachAwsPrincipal(doc, (p) => {
    const m = ROLE_ARN.exec(p);
    const role = m ? state.accounts.get(m[1])?.roles.get(m[2]) : undefined;
    if (role) principalIds.set(p, role.uniqueId);
    return p;
  });
  return { raw: text as string, principalIds };
}

/** The default key policy CreateKey uses when none is given. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: accountRootArn(accountId) }, Action: 'kms:*', Resource: '*' }],
  });
}

/** GetKeyPolicy's view of a stored policy. `salt` (the key ARN) makes the order differ per key. */
export function reserialisePolicy(state: LocalAwsState, stored: StoredPolicy, salt: string): string {
  const doc = JSON.parse(stored.raw) as { [k: string]: Json };
  const rng = new SeededRandom(hashSeed(`${salt}\n${stored.raw}`));
  forEachAwsPrincipal(doc, (p) => {
    if (ACCOUNT_ID.test(p)) return accountRootArn(p);
    const boundId = stored.principalIds.get(p);
    if (boundId !== undefined) {
      const m = ROLE_ARN.exec(p)!;
      const current = state.accounts.get(m[1])?.roles.get(m[2]);
      if (!current || current.uniqueId !== boundId) return boundId;
    }
    return p;
  });
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(doc)) {
    out[k] = k === 'Statement' && Array.isArray(v) ? rng.shuffle(v.map((s) => reshapeStatement(s, rng))) : v;
  }
  return prettyJson(out, 0);
}

function reshapeStatement(s: Json, rng: SeededRandom): Json {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return s;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(s)) {
    if (SHUFFLED_ARRAY_FIELDS.has(k)) out[k] = shuffleValues(v, rng);
    else if ((k === 'Principal' || k === 'NotPrincipal') && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([t, vals]) => [t, shuffleValues(vals, rng)]));
    } else if (k === 'Condition' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[k] = Object.fromEntries(
        Object.entries(v).map(([op, block]) => [
          op,
          typeof block === 'object' && block !== null && !Array.isArray(block)
            ? Object.fromEntries(Object.entries(block).map(([ck, cv]) => [ck, shuffleValues(cv, rng)]))
            : block,
        ]),
      );
    } else out[k] = v;
  }
  return out;
}

function shuffleValues(v: Json, rng: SeededRandom): Json {
  if (!Array.isArray(v)) return v;
  if (v.length === 1) return v[0];
  return rng.shuffle(v);
}

/** Calls `rewrite` on every `Principal.AWS` / `NotPrincipal.AWS` string, in place. */
function forEachAwsPrincipal(doc: { [k: string]: Json }, rewrite: (p: string) => string): void {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) continue;
    for (const field of ['Principal', 'NotPrincipal']) {
      const p = s[field];
      if (typeof p !== 'object' || p === null || Array.isArray(p) || p.AWS === undefined) continue;
      const aws = p.AWS;
      if (typeof aws === 'string') p.AWS = rewrite(aws);
      else if (Array.isArray(aws)) p.AWS = aws.map((a) => (typeof a === 'string' ? rewrite(a) : a));
    }
  }
}

/** Jackson's default pretty printer: `"key" : value`, arrays on one line, objects indented by 2. */
export function prettyJson(value: Json, indent: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const pad = (n: number): string => ' '.repeat(n);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => prettyJson(v, indent)).join(', ')} ]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{ }';
  const body = entries.map(([k, v]) => `${pad(indent + 2)}${JSON.stringify(k)} : ${prettyJson(v, indent + 2)}`).join(',\n');
  return `{\n${body}\n${pad(indent)}}`;
}


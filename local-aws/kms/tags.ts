/** Key tags and grants: TagResource, UntagResource, ListResourceTags, CreateGrant, ListGrants. */
import { AwsError, validationError } from '../errors';
import { epochSeconds, optionalInt, optionalString, paginate, requireString, type Handler, type Input } from '../handler';
import { accountRootArn, type KeyRecord } from '../state';
import { MANAGEABLE_STATES, requireKeyState, resolveKey } from './keys';

export const MAX_TAGS_PER_KEY = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
export const LIST_TAGS_MAX_LIMIT = 50;
export const LIST_GRANTS_MAX_LIMIT = 100;
const RESERVED_TAG_PREFIX = 'aws:';

/** Reads a `Tags: [{TagKey, TagValue}]` list, checking lengths and the reserved prefix. */
export function parseTags(input: Input, field = 'Tags'): Record<string, string> {
  const raw = input[field];
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw)) throw validationError(field, raw, 'Member must be a list of {TagKey, TagValue}');
  const out: Record<string, string> = {};
  for (const t of raw as { TagKey?: unknown; TagValue?: unknown }[]) {
    const key = t?.TagKey;
    const value = t?.TagValue;
    if (typeof key !== 'string' || key.length < 1 || key.length > TAG_KEY_MAX_LENGTH) {
      throw validationError(`${field}.member.TagKey`, key, `Member must have length between 1 and ${TAG_KEY_MAX_LENGTH}`);
    }
    if (typeof value !== 'string' || value.length > TAG_VALUE_MAX_LENGTH) {
      throw validationError(`${field}.member.TagValue`, value, `Member must have length between 0 and ${TAG_VALUE_MAX_LENGTH}`);
    }
    if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) throw new AwsError('TagException', `Tag keys beginning with ${RESERVED_TAG_PREFIX} are reserved: ${key}`);
    out[key] = value;
  }
  return out;
}

export function applyTags(key: KeyRecord, tags: Readonly<Record<string, string>>): void {
  const after = new Set([...key.tags.keys(), ...Object.keys(tags)]);
  if (after.size > MAX_TAGS_PER_KEY) {
    throw new AwsError('LimitExceededException', `A key can have at most ${MAX_TAGS_PER_KEY} tags; this request would leave ${after.size}.`);
  }
  for (const [k, v] of Object.entries(tags)) key.tags.set(k, v);
}

export const TagResource: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'TagResource');
  requireKeyState(key, MANAGEABLE_STATES);
  applyTags(key, parseTags(input));
  return {};
};

export const UntagResource: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'UntagResource');
  requireKeyState(key, MANAGEABLE_STATES);
  const keys = input.TagKeys;
  if (!Array.isArray(keys)) throw validationError('tagKeys', keys, 'Member must be a list of strings');
  for (const k of keys) key.tags.delete(String(k));
  return {};
};

export const ListResourceTags: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'ListResourceTags');
  const limit = optionalInt(input, 'Limit', 1, LIST_TAGS_MAX_LIMIT) ?? LIST_TAGS_MAX_LIMIT;
  const tags = [...key.tags.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  const page = paginate(tags, limit, optionalString(input, 'Marker'));
  return { Tags: page.items, Truncated: page.next !== undefined, ...(page.next ? { NextMarker: page.next } : {}) };
};

export const CreateGrant: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'CreateGrant');
  requireKeyState(key, ['Enabled', 'Disabled']);
  const operations = input.Operations;
  if (!Array.isArray(operations) || operations.length === 0) throw validationError('operations', operations, 'Member must be a non-empty list');
  const grantId = ctx.state.rng.hex(64);
  key.grants.push({
    grantId,
    name: optionalString(input, 'Name'),
    granteePrincipal: requireString(input, 'GranteePrincipal'),
    retiringPrincipal: optionalString(input, 'RetiringPrincipal'),
    operations: operations.map(String),
    issuingAccount: accountRootArn(ctx.accountId),
    creationDate: ctx.state.now(),
    constraints: input.Constraints,
  });
  return { GrantId: grantId, GrantToken: Buffer.from(`local-grant:${grantId}`).toString('base64') };
};

export const ListGrants: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'ListGrants');
  const limit = optionalInt(input, 'Limit', 1, LIST_GRANTS_MAX_LIMIT) ?? 50;
  const grantId = optionalString(input, 'GrantId');
  const grantee = optionalString(input, 'GranteePrincipal');
  const grants = key.grants
    .filter((g) => (grantId === undefined || g.grantId === grantId) && (grantee === undefined || g.granteePrincipal === grantee))
    .map((g) => ({
      KeyId: key.arn,
      GrantId: g.grantId,
      ...(g.name !== undefined ? { Name: g.name } : {}),
      CreationDate: epochSeconds(g.creationDate),
      GranteePrincipal: g.granteePrincipal,
      ...(g.retiringPrincipal !== undefined ? { RetiringPrincipal: g.retiringPrincipal } : {}),
      IssuingAccount: g.issuingAccount,
      Operations: g.operations,
      ...(g.constraints !== undefined ? { Constraints: g.constraints } : {}),
    }));
  const page = paginate(grants, limit, optionalString(input, 'Marker'));
  return { Grants: page.items, Truncated: page.next !== undefined, ...(page.next ? { NextMarker: page.next } : {}) };
};

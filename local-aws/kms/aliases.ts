/** Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases (KeyId filter, paginated). */
import { AwsError, validationError } from '../errors';
import { epochSeconds, optionalInt, optionalString, paginate, requireString, type Handler, type RequestContext } from '../handler';
import { aliasArn, type AliasRecord, type KeyRecord } from '../state';
import { MANAGEABLE_STATES, requireKeyState, resolveKey } from './keys';

export const ALIAS_NAME_PATTERN = /^alias\/[a-zA-Z0-9/_-]+$/;
export const ALIAS_NAME_MAX_LENGTH = 256;
export const RESERVED_ALIAS_PREFIX = 'alias/aws/';
export const LIST_ALIASES_MAX_LIMIT = 100;
export const LIST_ALIASES_DEFAULT_LIMIT = 50;

function aliasName(input: Readonly<Record<string, unknown>>): string {
  const name = requireString(input, 'AliasName');
  if (!ALIAS_NAME_PATTERN.test(name) || name.length > ALIAS_NAME_MAX_LENGTH) {
    throw validationError('aliasName', name, `Member must satisfy regular expression pattern: ${ALIAS_NAME_PATTERN.source} and be at most ${ALIAS_NAME_MAX_LENGTH} characters`);
  }
  if (name.startsWith(RESERVED_ALIAS_PREFIX)) throw new AwsError('NotAuthorizedException', `The ${RESERVED_ALIAS_PREFIX} prefix is reserved for AWS managed keys: ${name}`);
  return name;
}

/** The alias target: a key ID or key ARN in the caller's account, not another alias. */
function aliasTarget(ctx: RequestContext, input: Readonly<Record<string, unknown>>, operation: string): KeyRecord {
  const target = requireString(input, 'TargetKeyId');
  if (target.includes('alias/')) throw validationError('targetKeyId', target, 'Member must be a key ID or key ARN, not an alias');
  const key = resolveKey(ctx, target, operation, 'targetKeyId');
  requireKeyState(key, MANAGEABLE_STATES);
  return key;
}

export const CreateAlias: Handler = (ctx, input) => {
  const name = aliasName(input);
  const key = aliasTarget(ctx, input, 'CreateAlias');
  const k = ctx.state.aliasKey(ctx.accountId, ctx.region, name);
  if (ctx.state.aliases.has(k)) throw new AwsError('AlreadyExistsException', `An alias with the name ${aliasArn(ctx.region, ctx.accountId, name)} already exists`);
  const now = ctx.state.now();
  ctx.state.aliases.set(k, { accountId: ctx.accountId, region: ctx.region, aliasName: name, targetKeyId: key.keyId, creationDate: now, lastUpdatedDate: now });
  return {};
};

function existingAlias(ctx: RequestContext, name: string): AliasRecord {
  const alias = ctx.state.aliases.get(ctx.state.aliasKey(ctx.accountId, ctx.region, name));
  if (!alias) throw new AwsError('NotFoundException', `Alias ${aliasArn(ctx.region, ctx.accountId, name)} is not found.`);
  return alias;
}

export const UpdateAlias: Handler = (ctx, input) => {
  const alias = existingAlias(ctx, aliasName(input));
  const key = aliasTarget(ctx, input, 'UpdateAlias');
  const current = ctx.state.getKey(ctx.accountId, ctx.region, alias.targetKeyId);
  if (current && (current.keyUsage !== key.keyUsage || (current.keySpec === 'SYMMETRIC_DEFAULT') !== (key.keySpec === 'SYMMETRIC_DEFAULT'))) {
    throw new AwsError('ValidationException', `Alias ${alias.aliasName} points to a ${current.keySpec}/${current.keyUsage} key; the new target must be of the same type and usage.`);
  }
  alias.targetKeyId = key.keyId;
  alias.lastUpdatedDate = ctx.state.now();
  return {};
};

export const DeleteAlias: Handler = (ctx, input) => {
  const alias = existingAlias(ctx, aliasName(input));
  ctx.state.aliases.delete(ctx.state.aliasKey(ctx.accountId, ctx.region, alias.aliasName));
  return {};
};

export const ListAliases: Handler = (ctx, input) => {
  const limit = optionalInt(input, 'Limit', 1, LIST_ALIASES_MAX_LIMIT) ?? LIST_ALIASES_DEFAULT_LIMIT;
  const keyIdFilter = optionalString(input, 'KeyId');
  const key = keyIdFilter !== undefined ? resolveKey(ctx, keyIdFilter, 'ListAliases') : undefined;
  const aliases = ctx.state.aliases
    .inScope(ctx.accountId, ctx.region)
    .filter((a) => key === undefined || a.targetKeyId === key.keyId)
    .filter((a) => ctx.state.getKey(a.accountId, a.region, a.targetKeyId) !== undefined)
    .sort((a, b) => a.aliasName.localeCompare(b.aliasName))
    .map((a) => ({
      AliasName: a.aliasName,
      AliasArn: aliasArn(a.region, a.accountId, a.aliasName),
      TargetKeyId: a.targetKeyId,
      CreationDate: epochSeconds(a.creationDate),
      LastUpdatedDate: epochSeconds(a.lastUpdatedDate),
    }));
  const page = paginate(aliases, limit, optionalString(input, 'Marker'));
  return { Aliases: page.items, Truncated: page.next !== undefined, ...(page.next ? { NextMarker: page.next } : {}) };
};

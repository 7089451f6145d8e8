/**
 * A minimal S3 (path-style REST, XML) for Terraform state objects: GetObject, PutObject,
 * ListObjectsV2 and HeadObject. Buckets belong to an account; other accounts need the bucket to be
 * shared with them (a stand-in for a bucket policy). Clients need `forcePathStyle: true`.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../errors';
import type { RequestContext } from '../handler';
import type { BucketRecord } from '../state';
import { xmlDocument } from '../xml';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const LIST_MAX_KEYS = 1000;

export interface S3Request {
  readonly method: string;
  /** Raw path: `/<bucket>/<key>` with the key percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface S3Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

/** The operation name a request maps to (for the call log and fault rules). */
export function s3Operation(method: string, path: string, query: Readonly<Record<string, unknown>>): string {
  const hasKey = splitPath(path).key !== undefined;
  if (method === 'GET') return hasKey ? 'GetObject' : query['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects';
  if (method === 'PUT') return hasKey ? 'PutObject' : 'CreateBucket';
  if (method === 'HEAD') return hasKey ? 'HeadObject' : 'HeadBucket';
  if (method === 'DELETE') return hasKey ? 'DeleteObject' : 'DeleteBucket';
  return `${method}Unknown`;
}

function splitPath(path: string): { bucket: string; key?: string } {
  const p = path.split('?')[0].replace(/^\//, '');
  const slash = p.indexOf('/');
  if (slash < 0) return { bucket: decodeURIComponent(p) };
  const key = p.slice(slash + 1);
  return { bucket: decodeURIComponent(p.slice(0, slash)), key: key.length > 0 ? decodeURIComponent(key) : undefined };
}

function bucketFor(ctx: RequestContext, name: string): BucketRecord {
  const bucket = ctx.state.buckets.get(name);
  if (!bucket) throw new AwsError('NoSuchBucket', `The specified bucket does not exist: ${name}`, 404);
  if (bucket.accountId !== ctx.accountId && !bucket.sharedWith.has(ctx.accountId)) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return bucket;
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** The S3 operations the emulator serves (what Terraform state needs); others are NotImplemented. */
export const S3_OPERATIONS: readonly string[] = ['PutObject', 'GetObject', 'HeadObject', 'ListObjectsV2', 'DeleteObject', 'HeadBucket'];

export function handleS3(ctx: RequestContext, req: S3Request): S3Response {
  const { bucket: bucketName, key } = splitPath(req.path);
  const operation = s3Operation(req.method, req.path, req.query);
  // Said before any bucket lookup: an unserved operation is never answered as a missing bucket.
  if (!S3_OPERATIONS.includes(operation)) throw new AwsError('NotImplemented', `The local endpoint does not implement s3:${operation}.`, 501);
  const bucket = bucketFor(ctx, bucketName);
  switch (operation) {
    case 'PutObject': {
      const etag = `"${createHash('md5').update(req.body).digest('hex')}"`;
      const contentType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : 'application/octet-stream';
      bucket.objects.set(key!, { body: req.body, lastModified: ctx.state.now(), etag, contentType });
      return { status: 200, headers: { etag }, body: '' };
    }
    case 'GetObject':
    case 'HeadObject': {
      const obj = bucket.objects.get(key!);
      if (!obj) throw new AwsError(operation === 'HeadObject' ? 'NotFound' : 'NoSuchKey', `The specified key does not exist: ${key}`, 404);
      return {
        status: 200,
        headers: { etag: obj.etag, 'last-modified': httpDate(obj.lastModified), 'content-type': obj.contentType, 'content-length': String(obj.body.length) },
        body: operation === 'HeadObject' ? '' : obj.body,
      };
    }
    case 'ListObjectsV2': {
      const prefix = typeof req.query.prefix === 'string' ? req.query.prefix : '';
      const raw = typeof req.query['max-keys'] === 'string' && req.query['max-keys'].trim() !== '' ? req.query['max-keys'] : undefined;
      const requested = Number(raw ?? LIST_MAX_KEYS);
      const maxKeys = Number.isInteger(requested) && requested >= 0 ? Math.min(requested, LIST_MAX_KEYS) : LIST_MAX_KEYS;
      const after = typeof req.query['continuation-token'] === 'string' ? Buffer.from(req.query['continuation-token'], 'base64url').toString() : typeof req.query['start-after'] === 'string' ? req.query['start-after'] : '';
      const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, maxKeys);
      // MaxKeys 0 answers an empty, untruncated page (no token can follow an empty page).
      const truncated = page.length > 0 && keys.length > page.length;
      const body = xmlDocument(
        'ListBucketResult',
        {
          Name: bucket.name,
          Prefix: prefix,
          KeyCount: page.length,
          MaxKeys: maxKeys,
          IsTruncated: truncated,
          Contents: page.map((k) => {
            const o = bucket.objects.get(k)!;
            return { Key: k, LastModified: new Date(o.lastModified).toISOString(), ETag: o.etag, Size: o.body.length, StorageClass: 'STANDARD' };
          }),
          NextContinuationToken: truncated ? Buffer.from(page[page.length - 1]).toString('base64url') : undefined,
        },
        S3_XMLNS,
      );
      return { status: 200, headers: { 'content-type': 'application/xml' }, body };
    }
    case 'DeleteObject':
      bucket.objects.delete(key!);
      return { status: 204, headers: {}, body: '' };
    case 'HeadBucket':
      return { status: 200, headers: { 'x-amz-bucket-region': bucket.region }, body: '' };
    default:
      throw new AwsError('NotImplemented', `The local endpoint does not implement ${operation}.`, 501);
  }
}

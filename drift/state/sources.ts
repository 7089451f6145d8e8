/**
 * Where states come from: local files and folders (cdktf's local backend writes
 * `terraform.<stack>.tfstate`), S3 backend objects (workspaces under `env:/<workspace>/`), and stdin
 * (`terraform state pull`). Only reads text: parsing is {@link parseTerraformState}'s job.
 */
import { promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import type { S3Client } from '@aws-sdk/client-s3';
import { IdcCmkError } from '../../core/errors';
import { toIdcCmkError } from '../../aws/errors';
import { targetNameFromSource } from './extract';

export interface StateText {
  /** A path (relative to cwd when inside it), `s3://bucket/key`, or `stdin`. */
  readonly source: string;
  readonly text: string;
  /** The target name the location implies (file name / object key); the state's target record wins. */
  readonly target?: string;
}

/** The S3 backend's default `workspace_key_prefix`. */
export const S3_WORKSPACE_PREFIX = 'env:';

const CDKTF_STATE = /^terraform\.(.+)\.tfstate$/;

/** Read each path: a file, or a folder scanned (not recursively) for `*.tfstate`. No paths: scan cwd. */
export async function discoverStateFiles(paths: readonly string[], cwd: string): Promise<StateText[]> {
  const wanted = paths.length > 0 ? paths : ['.'];
  const files: string[] = [];
  for (const p of wanted) {
    const abs = path.resolve(cwd, p);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (e) {
      throw new IdcCmkError('STATE_NOT_FOUND', `State ${p} does not exist`, { cause: e });
    }
    if (stat.isDirectory()) {
      const names = (await fs.readdir(abs)).filter((n) => n.endsWith('.tfstate')).sort();
      if (names.length === 0) {
        throw new IdcCmkError('STATE_NOT_FOUND', `No *.tfstate files in ${p}`, {
          hint: 'cdktf writes terraform.<stack>.tfstate next to cdktf.json with the local backend; pass a file or folder that holds them.',
        });
      }
      files.push(...names.map((n) => path.join(abs, n)));
    } else {
      files.push(abs);
    }
  }
  const unique = [...new Set(files)];
  return unique.map((f) => readStateFile(f, cwd));
}

/**
 * Read one state file; a missing or unreadable file is STATE_NOT_FOUND naming it. Synchronous: nothing
 * else runs while states load, and for a fleet's folder one read after another is ~10x cheaper than
 * the same reads through promises (1,000 files: ~10 ms instead of ~100 ms of CPU).
 */
export function readStateFile(file: string, cwd: string): StateText {
  const abs = path.resolve(cwd, file);
  const source = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new IdcCmkError('STATE_NOT_FOUND', `Cannot read state ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return { source, text, target: targetFromFileName(path.basename(abs)) };
}

/** `terraform.prod.tfstate` -> `prod`; `prod.tfstate` -> `prod`; `terraform.tfstate` -> undefined. */
export function targetFromFileName(name: string): string | undefined {
  const m = CDKTF_STATE.exec(name);
  if (m) return m[1];
  if (name === 'terraform.tfstate' || !name.endsWith('.tfstate')) return undefined;
  return name.slice(0, -'.tfstate'.length) || undefined;
}

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || m[1] === '') {
    throw new IdcCmkError('INPUT_INVALID', `Not an S3 URI: ${JSON.stringify(uri)}`, { hint: 'Use s3://bucket/prefix (the S3 backend bucket and key prefix).' });
  }
  return { bucket: m[1], prefix: m[2] };
}

/** The object key prefix for a workspace: `env:/<workspace>/<prefix>`; the default workspace has none. */
export function workspaceKeyPrefix(prefix: string, workspace?: string): string {
  if (!workspace || workspace === 'default') return prefix;
  // A prefix that already points into env:/<workspace>/ is taken as given.
  if (prefix.startsWith(`${S3_WORKSPACE_PREFIX}/`)) return prefix;
  return `${S3_WORKSPACE_PREFIX}/${workspace}/${prefix}`;
}

/**
 * Every state object under `s3://bucket/prefix` (objects ending in `.tfstate`, or the exact key given).
 * Without a workspace, other workspaces' `env:/` objects are skipped.
 */
export async function readS3States(s3: S3Client, uri: string, workspace?: string): Promise<StateText[]> {
  const { bucket, keys } = await listS3StateKeys(s3, uri, workspace);
  return Promise.all(keys.map((key) => readS3State(s3, bucket, key)));
}

/** The state object keys under `s3://bucket/prefix`, sorted; none is STATE_NOT_FOUND. */
export async function listS3StateKeys(s3: S3Client, uri: string, workspace?: string): Promise<{ bucket: string; keys: string[] }> {
  const { bucket, prefix } = parseS3Uri(uri);
  // Loaded on first use: local-state runs never pay for the S3 client's module graph.
  const { paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
  const keyPrefix = workspaceKeyPrefix(prefix, workspace);
  const keys: string[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: keyPrefix })) {
      for (const o of page.Contents ?? []) {
        const key = o.Key;
        if (!key) continue;
        // Other workspaces' objects are skipped, unless the prefix itself points into env:/.
        if ((!workspace || workspace === 'default') && key.startsWith(`${S3_WORKSPACE_PREFIX}/`) && !keyPrefix.startsWith(`${S3_WORKSPACE_PREFIX}/`)) continue;
        if (key === keyPrefix || (key.endsWith('.tfstate') && inFolder(key, keyPrefix))) keys.push(key);
      }
    }
  } catch (e) {
    throw toIdcCmkError('s3:ListObjectsV2', e, `Check the bucket name and that the drift role may s3:ListBucket on ${bucket}.`);
  }
  if (keys.length === 0) {
    throw new IdcCmkError('STATE_NOT_FOUND', `No state objects under s3://${bucket}/${keyPrefix}`, {
      hint: workspace ? `Workspace states live under ${S3_WORKSPACE_PREFIX}/<workspace>/<key>.` : undefined,
    });
  }
  return { bucket, keys: keys.sort() };
}

/**
 * A prefix names a folder: `s3://b/idc-cmk` holds `idc-cmk/<target>.tfstate` (and deeper keys), not
 * `idc-cmk-archive/...`. A prefix ending in `/`, or none, is already a folder.
 */
function inFolder(key: string, prefix: string): boolean {
  if (prefix === '' || prefix.endsWith('/')) return key.startsWith(prefix);
  return key.startsWith(`${prefix}/`);
}

/** One state object, e.g. the key an S3 backend in the rollout file names. */
export async function readS3State(s3: S3Client, bucket: string, key: string): Promise<StateText> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const source = `s3://${bucket}/${key}`;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = out.Body ? await out.Body.transformToString('utf8') : '';
    return { source, text, target: targetNameFromSource(key) };
  } catch (e) {
    throw toIdcCmkError(`s3:GetObject ${source}`, e);
  }
}

/** `terraform state pull | idc-cmk drift --state -`. */
export async function readStdinState(stream: NodeJS.ReadableStream): Promise<StateText> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return { source: 'stdin', text: Buffer.concat(chunks).toString('utf8') };
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/**
 * Stage 1 of the pipeline: where the expected targets come from. Local state files and folders,
 * S3 backend objects, `terraform state pull` output on stdin, or each target's backend as the rollout
 * file configures it. A state that cannot be read or does not describe a target is kept as a failed
 * entry (its own `unknown` result), never dropped; a source that cannot be read at all (a folder or
 * bucket) is a failed entry with `scope: 'source'`, which every shard reports.
 */
import { readdir } from 'fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { ResolvedTarget } from '../../config/types';
import { IdcCmkError, isIdcCmkError } from '../../core/errors';
import type { ExpectedTarget } from '../model';
import { StateText, discoverStateFiles, expectedTargetFromText, expectedTargetsFromText, listS3StateKeys, readS3State, readStateFile, readStdinState, targetNameFromSource, workspaceKeyPrefix } from '../state';

export type StateEntry =
  | { readonly ok: true; readonly name: string; readonly source: string; readonly expected: ExpectedTarget }
  | {
      readonly ok: false;
      readonly name: string;
      readonly source: string;
      readonly error: IdcCmkError;
      /** 'source': the whole source (a folder, a bucket) could not be read, not one target's state. */
      readonly scope?: 'source';
    };

export type FailedStateEntry = Extract<StateEntry, { ok: false }>;

/** State objects read at once from the backends a rollout file names. */
export const BACKEND_READ_CONCURRENCY = 16;

/** cdktf's local backend writes one `terraform.<stack>.tfstate` per stack next to cdktf.json. */
export const CDKTF_STATE_FILE = /^terraform\..+\.tfstate$/;

/** Parses one state text into an entry: our resources found, or the error that stopped it. */
export function entryFromText(state: StateText, targetName?: string): StateEntry {
  const guess = targetName ?? state.target ?? targetNameFromSource(state.source);
  try {
    const expected = expectedTargetFromText(state, targetName);
    return { ok: true, name: expected.target, source: state.source, expected };
  } catch (e) {
    return failed(guess, state.source, e);
  }
}

/**
 * Every target a state records, each its own entry (a state holding several targets, a module each,
 * is checked target by target); a state that cannot be read is one failed entry.
 */
export function entriesFromText(state: StateText): StateEntry[] {
  const guess = state.target ?? targetNameFromSource(state.source);
  try {
    return expectedTargetsFromText(state).map((expected) => ({ ok: true as const, name: expected.target, source: state.source, expected }));
  } catch (e) {
    return [failed(guess, state.source, e)];
  }
}

/**
 * A state read for one named target (its backend's object, or stdin with --target): a state recording
 * another target is that target's failure, never quietly filed under the other name.
 */
export function entryForTarget(state: StateText, target: string): StateEntry {
  const entry = entryFromText(state, target);
  if (!entry.ok || entry.name === target) return entry;
  return failed(target, state.source, new IdcCmkError('STATE_INVALID', `the state at ${state.source} records target ${entry.name}, not ${target}`, {
    hint: `each target's state must be its own: check the backend settings, or pass this state for --target ${entry.name}`,
  }));
}

/** Each path on its own, so one missing file is one failed entry and the others are still checked. */
export async function entriesFromPaths(paths: readonly string[], cwd: string): Promise<StateEntry[]> {
  const perPath = await Promise.all(
    paths.map(async (p): Promise<StateEntry[]> => {
      try {
        return (await discoverStateFiles([p], cwd)).flatMap((s) => entriesFromText(s));
      } catch (e) {
        // A state file's name says its target; a folder that cannot be read stands for all of its.
        return [p.endsWith('.tfstate') ? failed(targetNameFromSource(p), p, e) : { ...failed(p, p, e), scope: 'source' as const }];
      }
    }),
  );
  return perPath.flat();
}

/** The default source: `terraform.*.tfstate` in the working directory. */
export async function defaultStateFiles(cwd: string): Promise<string[]> {
  const names = await readdir(cwd).catch(() => [] as string[]);
  return names.filter((n) => CDKTF_STATE_FILE.test(n)).sort();
}

/** Listing fails: the whole source failed. One object fails: that target alone, the others are read. */
export async function entriesFromS3(client: S3Client, uri: string, workspace: string | undefined): Promise<StateEntry[]> {
  let listed: { bucket: string; keys: string[] };
  try {
    listed = await listS3StateKeys(client, uri, workspace);
  } catch (e) {
    return [{ ...failed(uri, uri, e), scope: 'source' }];
  }
  const limit = pLimit(BACKEND_READ_CONCURRENCY);
  const perKey = await Promise.all(
    listed.keys.map((key) =>
      limit(async (): Promise<StateEntry[]> => {
        const source = `s3://${listed.bucket}/${key}`;
        try {
          return entriesFromText(await readS3State(client, listed.bucket, key));
        } catch (e) {
          return [failed(targetNameFromSource(key), source, e)];
        }
      }),
    ),
  );
  return perKey.flat();
}

/**
 * Each target's state where the rollout file's `backend` keeps it: a local file (relative to `cwd`,
 * the project directory cdktf ran in) or an S3 object (read with `s3For`: the backend's Region and
 * state role). HCP Terraform workspaces cannot be read here: those targets are failed entries saying how.
 */
export async function entriesFromBackends(
  targets: readonly ResolvedTarget[],
  cwd: string,
  s3For: (region: string, roleArn: string | undefined) => S3Client,
  workspace?: string,
): Promise<StateEntry[]> {
  const limit = pLimit(BACKEND_READ_CONCURRENCY);
  return Promise.all(
    targets.map((t) =>
      limit(async (): Promise<StateEntry> => {
        const b = t.backend;
        switch (b.kind) {
          case 'local':
            try {
              if (workspace !== undefined && workspace !== 'default') {
                return failed(t.name, b.path, new IdcCmkError('STATE_NOT_FOUND', `--workspace ${workspace} selects S3 states; target ${t.name} keeps its state in the local backend (${b.path}), which has no such workspace here`, {
                  hint: 'pass --target to check only the S3-backed targets, or --state with that workspace\'s state files',
                }));
              }
              return entryForTarget(readStateFile(b.path, cwd), t.name);
            } catch (e) {
              const entry = failed(t.name, b.path, e);
              if (entry.error.code !== 'STATE_NOT_FOUND') return entry;
              // Say where it looked and what else to pass.
              return failed(t.name, b.path, new IdcCmkError('STATE_NOT_FOUND', `${entry.error.message} (the local backend's file, looked up in ${cwd})`, {
                hint: 'run drift in the project directory cdktf runs in, or pass --state FILE|FOLDER',
                cause: e,
              }));
            }
          case 's3': {
            const key = workspaceKeyPrefix(b.key, workspace);
            const source = `s3://${b.bucket}/${key}`;
            try {
              return entryForTarget(await readS3State(s3For(b.region, b.roleArn), b.bucket, key), t.name);
            } catch (e) {
              // A missing object is a missing state, as for the local backend; other failures stay as AWS said.
              if (isIdcCmkError(e) && e.code === 'AWS_NOT_FOUND') {
                return failed(t.name, source, new IdcCmkError('STATE_NOT_FOUND', `no state object at ${source} (${e.message})`, {
                  hint: `has target ${t.name} been deployed${workspace ? ` in workspace ${workspace}` : ''}? Check the backend's bucket and keyPrefix`,
                  cause: e,
                }));
              }
              return failed(t.name, source, e);
            }
          }
          case 'cloud': {
            const workspace = b.workspace.kind === 'name' ? b.workspace.name : `tags ${b.workspace.tags.join(',')}`;
            return failed(t.name, `cloud ${b.organization}/${workspace}`, new IdcCmkError('STATE_NOT_FOUND', `target ${t.name} keeps its state in HCP Terraform (${b.organization}, workspace ${workspace}), which drift does not read`, {
              hint: `pipe it in: \`terraform state pull | idc-cmk drift --state - --target ${t.name}\` (in the stack's directory), or pass --state FILE`,
            }));
          }
        }
      }),
    ),
  );
}

export async function entryFromStdin(stdin: NodeJS.ReadableStream, targetName: string | undefined): Promise<StateEntry> {
  try {
    const state = await readStdinState(stdin);
    return targetName !== undefined ? entryForTarget(state, targetName) : entryFromText(state);
  } catch (e) {
    return failed(targetName ?? 'stdin', 'stdin', e);
  }
}

function failed(name: string, source: string, e: unknown): FailedStateEntry {
  const error = isIdcCmkError(e)
    ? e
    : new IdcCmkError('STATE_INVALID', `cannot read state ${source}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  return { ok: false, name, source, error };
}

/**
 * Stage 1 of the pipeline: where the expected targets come from. Local state files and folders,
 * S3 backend objects, or `terraform state pull` output on stdin. A state that cannot be read or does
 * not describe a target is kept as a failed entry (its own `unknown` result), never dropped.
 */
import { readdir } from 'fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { IdcCmkError, isIdcCmkError } from '../../core/errors';
import type { ExpectedTarget } from '../model';
import { StateText, discoverStateFiles, expectedTargetFromText, readS3States, readStdinState, targetNameFromSource } from '../state';

export type StateEntry =
  | { readonly ok: true; readonly name: string; readonly source: string; readonly expected: ExpectedTarget }
  | { readonly ok: false; readonly name: string; readonly source: string; readonly error: IdcCmkError };

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

/** Each path on its own, so one missing file is one failed entry and the others are still checked. */
export async function entriesFromPaths(paths: readonly string[], cwd: string): Promise<StateEntry[]> {
  const perPath = await Promise.all(
    paths.map(async (p): Promise<StateEntry[]> => {
      try {
        return (await discoverStateFiles([p], cwd)).map((s) => entryFromText(s));
      } catch (e) {
        return [failed(targetNameFromSource(p), p, e)];
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

export async function entriesFromS3(client: S3Client, uri: string, workspace: string | undefined): Promise<StateEntry[]> {
  try {
    return (await readS3States(client, uri, workspace)).map((s) => entryFromText(s));
  } catch (e) {
    return [failed(uri, uri, e)];
  }
}

export async function entryFromStdin(stdin: NodeJS.ReadableStream, targetName: string | undefined): Promise<StateEntry> {
  try {
    return entryFromText(await readStdinState(stdin), targetName);
  } catch (e) {
    return failed(targetName ?? 'stdin', 'stdin', e);
  }
}

function failed(name: string, source: string, e: unknown): StateEntry {
  const error = isIdcCmkError(e)
    ? e
    : new IdcCmkError('STATE_INVALID', `cannot read state ${source}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  return { ok: false, name, source, error };
}

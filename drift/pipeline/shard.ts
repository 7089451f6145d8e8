/**
 * `--shard i/n`: split a fleet across CI jobs. A target's shard depends only on its name (FNV-1a hash),
 * so every job computes the same split without talking to the others, and the shards together cover
 * every target exactly once.
 */
import { IdcCmkError, describeProblem } from '../../core/errors';

export interface Shard {
  /** 1-based, as written on the command line. */
  readonly index: number;
  readonly count: number;
}

const SHARD_ALLOWED = 'i/n with whole numbers 1 <= i <= n, e.g. 2/8';

export function parseShard(text: string): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem('--shard', text, SHARD_ALLOWED));
  }
  return { index, count };
}

/** 1-based shard of a target name. */
export function shardOf(name: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % count) + 1;
}

export function inShard(name: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(name, shard.count) === shard.index;
}

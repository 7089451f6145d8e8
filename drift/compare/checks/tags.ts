/** Tags: every declared tag present with its value, no undeclared tag (compared to `tags_all` when recorded). */
import type { Finding, Read } from '../../model';
import type { FindingCode } from '../../findings';
import { found, unknown, type CheckOutcome, type FindingFactory } from '../outcome';

export interface TagCheckInput {
  readonly address: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly tagsAll?: Readonly<Record<string, string>>;
  readonly live: Read<Readonly<Record<string, string>>>;
  readonly scope: 'key' | 'replica';
}

const CODES: Record<'key' | 'replica', Record<'missing' | 'changed' | 'unexpected', FindingCode>> = {
  key: { missing: 'TAG_MISSING', changed: 'TAG_CHANGED', unexpected: 'TAG_UNEXPECTED' },
  replica: { missing: 'REPLICA_TAG_MISSING', changed: 'REPLICA_TAG_CHANGED', unexpected: 'REPLICA_TAG_UNEXPECTED' },
};

export function checkTags(input: TagCheckInput, f: FindingFactory): CheckOutcome {
  if (!input.live.ok) return unknown(input.live.error);
  const expected = input.tagsAll ?? input.tags;
  const live = input.live.value;
  const codes = CODES[input.scope];
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(live)])].sort();
  const out: Finding[] = [];
  for (const k of keys) {
    const e = has(expected, k) ? expected[k] : undefined;
    const a = has(live, k) ? live[k] : undefined;
    const at = { address: input.address, attribute: `tags.${k}` };
    if (e !== undefined && a === undefined) out.push(f.make(codes.missing, { ...at, expected: e, detail: k }));
    else if (e === undefined && a !== undefined) out.push(f.make(codes.unexpected, { ...at, actual: a, detail: k }));
    else if (e !== a) out.push(f.make(codes.changed, { ...at, expected: e, actual: a, detail: k }));
  }
  return found(...out);
}

function has(o: Readonly<Record<string, string>>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** Key properties that never change in place (spec, usage, multi-Region, origin) and the description. */
import type { ExpectedKey, LiveKeyMetadata } from '../../model';
import type { Finding } from '../../model';
import { found, type CheckOutcome, type FindingFactory } from '../outcome';

export function checkKeyProperties(expected: ExpectedKey, live: LiveKeyMetadata, f: FindingFactory): CheckOutcome {
  const out: Finding[] = [];
  const address = expected.address;
  if (live.keySpec && live.keySpec !== expected.keySpec) {
    out.push(f.make('KEY_SPEC_CHANGED', { address, attribute: 'customer_master_key_spec', expected: expected.keySpec, actual: live.keySpec }));
  }
  if (live.keyUsage && live.keyUsage !== expected.keyUsage) {
    out.push(f.make('KEY_USAGE_CHANGED', { address, attribute: 'key_usage', expected: expected.keyUsage, actual: live.keyUsage }));
  }
  if (live.multiRegion !== expected.multiRegion) {
    out.push(f.make('MULTI_REGION_CHANGED', { address, attribute: 'multi_region', expected: expected.multiRegion, actual: live.multiRegion }));
  }
  if (live.origin && live.origin !== 'AWS_KMS') {
    out.push(f.make('KEY_ORIGIN_UNEXPECTED', { address, attribute: 'origin', expected: 'AWS_KMS', actual: live.origin }));
  }
  if (expected.description !== undefined && live.description !== expected.description) {
    out.push(f.make('DESCRIPTION_CHANGED', { address, attribute: 'description', expected: expected.description, actual: live.description }));
  }
  return found(...out);
}

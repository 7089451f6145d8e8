/** Key state: gone, disabled, scheduled for deletion, waiting for replica deletion, or otherwise unusable. */
import type { ExpectedKey, LiveKeyMetadata, Read } from '../../model';
import { NOTHING, found, unknown, type CheckOutcome, type FindingFactory } from '../outcome';

export function checkKeyState(expected: ExpectedKey, metadata: Read<LiveKeyMetadata | null>, f: FindingFactory): CheckOutcome {
  if (!metadata.ok) return unknown(metadata.error);
  const live = metadata.value;
  const at = { address: expected.address, attribute: 'key_state' };
  if (live === null) {
    return found(f.make('KEY_MISSING', { ...at, expected: 'Enabled', actual: 'NotFound', detail: `${expected.keyId} not found in ${expected.region}` }));
  }
  switch (live.keyState) {
    case 'Enabled':
      return expected.enabled ? NOTHING : found(f.make('KEY_STATE_UNEXPECTED', { ...at, expected: 'Disabled', actual: 'Enabled', detail: 'state says disabled, the key is enabled' }));
    case 'Disabled':
      return expected.enabled ? found(f.make('KEY_DISABLED', { ...at, expected: 'Enabled', actual: 'Disabled' })) : NOTHING;
    case 'PendingDeletion':
      return found(
        f.make('KEY_PENDING_DELETION', {
          ...at,
          expected: expected.enabled ? 'Enabled' : 'Disabled',
          actual: live.deletionDate ? `PendingDeletion (deletion on ${live.deletionDate})` : 'PendingDeletion',
          detail: live.deletionDate ? `deletion on ${live.deletionDate}` : 'deletion date not reported',
        }),
      );
    case 'PendingReplicaDeletion':
      return found(f.make('KEY_PENDING_REPLICA_DELETION', { ...at, expected: 'Enabled', actual: 'PendingReplicaDeletion' }));
    default:
      return found(f.make('KEY_STATE_UNEXPECTED', { ...at, expected: expected.enabled ? 'Enabled' : 'Disabled', actual: live.keyState, detail: `key state is ${live.keyState}` }));
  }
}

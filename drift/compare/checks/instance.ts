/** The Identity Center instance's encryption: still on our key, not switched back, not stuck or failed. */
import { keyIdOf } from '../../state/arn';
import type { ExpectedEncryption, LiveInstanceEncryption, Read } from '../../model';
import { found, unknown, type CheckOutcome, type FindingFactory } from '../outcome';

export const AWS_OWNED_KEY = 'AWS_OWNED_KMS_KEY';
export const CUSTOMER_MANAGED_KEY = 'CUSTOMER_MANAGED_KEY';

export function checkInstance(expected: ExpectedEncryption, instance: Read<LiveInstanceEncryption | null> | undefined, f: FindingFactory): CheckOutcome {
  if (instance === undefined) {
    return unknown({ code: 'INTERNAL', operation: 'sso:DescribeInstance', message: `instance ${expected.instanceArn} was not read` });
  }
  if (!instance.ok) return unknown(instance.error);
  const live = instance.value;
  const address = expected.address;
  if (live === null) {
    return found(f.make('INSTANCE_MISSING', { address, attribute: 'instance_arn', expected: expected.instanceArn, actual: 'NotFound', detail: expected.instanceArn }));
  }
  if (live.encryptionStatus === 'UPDATING') {
    // DescribeInstance already shows where an update is heading: a switch back or to another key is
    // reported as such (critical) while it runs, not only as "in progress".
    const updating = f.make('INSTANCE_ENCRYPTION_UPDATING', { address, attribute: 'encryption_status', expected: 'ENABLED', actual: 'UPDATING' });
    return found(updating, ...keyFindings(expected, live, f, ' (update in progress)'));
  }
  if (live.encryptionStatus === 'UPDATE_FAILED') {
    const reason = live.encryptionStatusReason ?? 'no reason reported';
    return found(
      f.make('INSTANCE_ENCRYPTION_UPDATE_FAILED', { address, attribute: 'encryption_status', expected: 'ENABLED', actual: `UPDATE_FAILED: ${reason}`, detail: reason }),
    );
  }
  return found(...keyFindings(expected, live, f, ''));
}

/** The key the instance uses (or is switching to) against the one state expects. */
function keyFindings(expected: ExpectedEncryption, live: LiveInstanceEncryption, f: FindingFactory, note: string): ReturnType<FindingFactory['make']>[] {
  const address = expected.address;
  const liveType = live.keyType ?? AWS_OWNED_KEY;
  if (expected.keyType === CUSTOMER_MANAGED_KEY) {
    if (liveType === AWS_OWNED_KEY) {
      return [f.make('INSTANCE_SWITCHED_TO_AWS_OWNED_KEY', { address, attribute: 'key_type', expected: CUSTOMER_MANAGED_KEY, actual: AWS_OWNED_KEY, ...(note ? { detail: `${AWS_OWNED_KEY}${note}` } : {}) })];
    }
    if (expected.kmsKeyArn && !sameKey(expected.kmsKeyArn, live.kmsKeyArn)) {
      return [f.make('INSTANCE_USES_OTHER_KEY', { address, attribute: 'kms_key_arn', expected: expected.kmsKeyArn, actual: live.kmsKeyArn ?? null, detail: `${live.kmsKeyArn ?? '(none)'}${note}` })];
    }
    return [];
  }
  if (liveType !== AWS_OWNED_KEY) {
    return [f.make('INSTANCE_ENCRYPTION_CHANGED', { address, attribute: 'key_type', expected: AWS_OWNED_KEY, actual: liveType, detail: `${live.kmsKeyArn ?? liveType}${note}` })];
  }
  return [];
}

/** Same key: equal ARNs, or (when one side is a bare key ID) equal key IDs. */
function sameKey(expected: string, actual: string | undefined): boolean {
  if (!actual) return false;
  if (expected === actual) return true;
  const bothArns = expected.startsWith('arn:') && actual.startsWith('arn:');
  return !bothArns && keyIdOf(expected) === keyIdOf(actual);
}

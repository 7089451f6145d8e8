/** Automatic rotation on or off, and its period. */
import type { ExpectedKey, LiveRotation, Read } from '../../model';
import { NOTHING, found, unknown, type CheckOutcome, type FindingFactory } from '../outcome';

export function checkRotation(expected: ExpectedKey, rotation: Read<LiveRotation>, f: FindingFactory): CheckOutcome {
  if (!rotation.ok) return unknown(rotation.error);
  const live = rotation.value;
  const address = expected.address;
  if (expected.rotationEnabled && !live.enabled) {
    return found(f.make('ROTATION_DISABLED', { address, attribute: 'enable_key_rotation', expected: true, actual: false }));
  }
  if (!expected.rotationEnabled && live.enabled) {
    return found(f.make('ROTATION_ENABLED', { address, attribute: 'enable_key_rotation', expected: false, actual: true }));
  }
  if (
    expected.rotationEnabled &&
    expected.rotationPeriodInDays !== undefined &&
    live.periodInDays !== undefined &&
    live.periodInDays !== expected.rotationPeriodInDays
  ) {
    return found(
      f.make('ROTATION_PERIOD_CHANGED', {
        address,
        attribute: 'rotation_period_in_days',
        expected: expected.rotationPeriodInDays,
        actual: live.periodInDays,
        detail: `${expected.rotationPeriodInDays} -> ${live.periodInDays} days`,
      }),
    );
  }
  return NOTHING;
}

import { compareTarget } from '../../../drift/compare';
import type { DriftReport } from '../../../drift/model';
import { buildReport } from '../../../drift/report';
import { expectedTarget, fail, liveTarget, ok, policyDoc, reserialised } from '../compare/fixtures';

/** Three targets: in sync, drifted (widened policy + tag), could not be checked (with a finding anyway). */
export function sampleReport(): DriftReport {
  const widened = policyDoc();
  widened.Statement.push({ Sid: 'Oops', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
  const inSync = compareTarget(expectedTarget({ target: 'prod-eu' }), liveTarget());
  const drifted = compareTarget(
    expectedTarget({ target: 'prod-us', region: 'us-east-1' }),
    liveTarget({ key: { policy: ok(reserialised(widened)), tags: ok({ ManagedBy: 'idc-cmk', Owner: 'someone' }) } }),
  );
  const unknown = compareTarget(
    expectedTarget({ target: 'dev <&> "x"' }),
    liveTarget({ key: { policy: fail('kms:GetKeyPolicy'), rotation: ok({ enabled: false }) } }),
  );
  return buildReport([inSync, drifted, unknown], { version: '0.1.0', now: new Date('2026-01-02T03:04:05.000Z') });
}

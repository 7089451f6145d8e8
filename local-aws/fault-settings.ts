/**
 * Fault settings, checked before they take effect: a typo (`throttleEvryNth`), a wrong-case operation
 * (`describekey`) or an impossible value (`throttleRate: 5`, `dropEveryNth: -1`) is an error naming the
 * field, the value received and what is allowed, never a fault that silently fires on every call or
 * never fires at all.
 */
import { z } from 'zod';
import { problemsFromIssues } from '../config/problems';
import { IdcCmkError } from '../core/errors';
import type { FaultSettings } from './faults';
import { KMS_OPERATIONS } from './kms/handlers';
import { ORGANIZATIONS_OPERATIONS } from './organizations/handlers';
import { SSO_OPERATIONS } from './sso/handlers';
import { S3_OPERATIONS } from './s3/handlers';
import { STS_OPERATIONS } from './sts/handlers';

/** The operations the emulator serves (S3's are named by method and path). */
export const KNOWN_OPERATIONS: readonly string[] = [
  ...Object.keys(KMS_OPERATIONS),
  ...Object.keys(SSO_OPERATIONS),
  ...Object.keys(ORGANIZATIONS_OPERATIONS),
  ...Object.keys(STS_OPERATIONS),
  ...S3_OPERATIONS,
].sort();

export const MAX_FAULT_LATENCY_MS = 600_000;
const LATENCY_ALLOWED = `a whole number of milliseconds from 0 to ${MAX_FAULT_LATENCY_MS}`;
const EVERY_NTH_ALLOWED = 'a whole number from 1 (every call) up';
const RATE_ALLOWED = 'a share of calls from 0 to 1';
const OPERATION_ALLOWED = `an operation the emulator serves (case-sensitive): ${KNOWN_OPERATIONS.join(', ')}`;

const latency = z.number({ error: LATENCY_ALLOWED }).int({ error: LATENCY_ALLOWED }).min(0, { error: LATENCY_ALLOWED }).max(MAX_FAULT_LATENCY_MS, { error: LATENCY_ALLOWED });
const everyNth = z.number({ error: EVERY_NTH_ALLOWED }).int({ error: EVERY_NTH_ALLOWED }).min(1, { error: EVERY_NTH_ALLOWED });
const rate = z.number({ error: RATE_ALLOWED }).min(0, { error: RATE_ALLOWED }).max(1, { error: RATE_ALLOWED });
const operation = z.string({ error: OPERATION_ALLOWED }).refine((o) => KNOWN_OPERATIONS.includes(o), { error: OPERATION_ALLOWED });
const operations = z.array(operation, { error: 'a list of operation names' });
const accountId = z.string().regex(/^\d{12}$/, { error: 'a 12-digit account ID' });
const faultError = z.strictObject(
  {
    errorType: z.string({ error: 'an AWS error name such as AccessDeniedException' }).regex(/^[A-Za-z][A-Za-z0-9.]*$/, { error: 'an AWS error name such as AccessDeniedException' }),
    message: z.string({ error: 'a string' }).optional(),
    status: z.number({ error: 'an HTTP status from 400 to 599' }).int({ error: 'an HTTP status from 400 to 599' }).min(400, { error: 'an HTTP status from 400 to 599' }).max(599, { error: 'an HTTP status from 400 to 599' }).optional(),
  },
  { error: 'an error: { errorType, message?, status? }' },
);

export const faultSettingsSchema = z.strictObject(
  {
    latencyMs: latency.optional(),
    latencyByOperation: z.record(operation, latency, { error: 'a mapping of operation name to milliseconds' }).optional(),
    throttleEveryNth: everyNth.optional(),
    throttleRate: rate.optional(),
    throttleOperations: operations.optional(),
    failOperations: z.record(operation, faultError, { error: 'a mapping of operation name to an error' }).optional(),
    failAccounts: z.record(accountId, faultError, { error: 'a mapping of account ID to an error' }).optional(),
    dropEveryNth: everyNth.optional(),
    dropRate: rate.optional(),
    dropOperations: operations.optional(),
  },
  { error: 'fault settings: a mapping' },
).superRefine((settings, ctx) => {
  // An operation list narrows a fault; alone it fires never.
  for (const [list, triggers] of [['throttleOperations', ['throttleEveryNth', 'throttleRate']], ['dropOperations', ['dropEveryNth', 'dropRate']]] as const) {
    if (settings[list] !== undefined && triggers.every((t) => settings[t] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [list], input: settings[list], message: `only with ${triggers.join(' or ')} (the list only narrows that fault; alone nothing would fire)` });
    }
  }
});

/**
 * The settings, checked; every problem at once (INPUT_INVALID, one detail each). Without a `source`
 * (a program calling Faults.set) the problems are in the message too, where a test runner shows them.
 */
export function validateFaultSettings(settings: unknown, source?: string): FaultSettings {
  const parsed = faultSettingsSchema.safeParse(settings ?? {}, { reportInput: true });
  if (parsed.success) return parsed.data as FaultSettings;
  const details = problemsFromIssues(parsed.error.issues, faultSettingsSchema).map((p) => p.text);
  throw new IdcCmkError('INPUT_INVALID', source ? `invalid ${source}` : `invalid fault settings: ${details.join('; ')}`, { details });
}

/**
 * Parse Terraform state format 4 with validation. Every way a state can be unusable is a typed error
 * that names its source: empty, not JSON, not a Terraform state at all (foreign), another format
 * version, or a format-4 state with malformed resources (one detail per problem).
 */
import { z } from 'zod';
import { IdcCmkError, describeProblem } from '../../core/errors';
import type { StateRecord, TerraformState } from './types';

export const STATE_FORMAT_VERSION = 4;

const instanceSchema = z.looseObject({
  index_key: z.union([z.string(), z.number()]).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  attributes_flat: z.record(z.string(), z.string()).optional(),
});

const resourceSchema = z.looseObject({
  module: z.string().optional(),
  mode: z.enum(['managed', 'data']),
  type: z.string().min(1),
  name: z.string().min(1),
  instances: z.array(instanceSchema),
});

const stateSchema = z.looseObject({
  version: z.literal(STATE_FORMAT_VERSION),
  terraform_version: z.string().optional(),
  serial: z.number().optional(),
  lineage: z.string().optional(),
  resources: z.array(resourceSchema).optional(),
});

const HINT = 'Pass the output of `terraform state pull` or a `terraform.<stack>.tfstate` file written by Terraform 0.12 or later.';

export function parseTerraformState(text: string, source: string): TerraformState {
  if (text.trim() === '') {
    throw new IdcCmkError('STATE_INVALID', `State ${source} is empty`, {
      hint: 'An empty state usually means the target was never deployed, or the file was truncated.',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new IdcCmkError('STATE_INVALID', `State ${source} is not valid JSON`, {
      details: [(e as Error).message],
      cause: e,
      hint: HINT,
    });
  }
  if (!looksLikeState(raw)) {
    throw new IdcCmkError('STATE_FOREIGN', `${source} is not a Terraform state`, {
      details: [describeProblem('(document)', summarise(raw), 'a JSON object with "version", "lineage"/"terraform_version" and "resources"')],
      hint: HINT,
    });
  }
  const version = (raw as { version: unknown }).version;
  if (version !== STATE_FORMAT_VERSION) {
    throw new IdcCmkError('STATE_INVALID', `State ${source} has format version ${String(version)}; only version 4 is supported`, {
      details: [describeProblem('version', version, String(STATE_FORMAT_VERSION))],
      hint: 'Upgrade the state with Terraform 0.12 or later (`terraform state pull` prints it in format 4).',
    });
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new IdcCmkError('STATE_INVALID', `State ${source} is malformed (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? '' : 's'})`, {
      details: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`),
      hint: HINT,
    });
  }
  const records: StateRecord[] = [];
  for (const r of parsed.data.resources ?? []) {
    const base = `${r.module ? `${r.module}.` : ''}${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    for (const inst of r.instances) {
      const index = inst.index_key === undefined ? '' : typeof inst.index_key === 'number' ? `[${inst.index_key}]` : `[${JSON.stringify(inst.index_key)}]`;
      records.push({
        address: `${base}${index}`,
        ...(r.module ? { module: r.module } : {}),
        mode: r.mode,
        type: r.type,
        name: r.name,
        attributes: inst.attributes ?? inst.attributes_flat ?? {},
      });
    }
  }
  return {
    version: STATE_FORMAT_VERSION,
    ...(parsed.data.terraform_version !== undefined ? { terraformVersion: parsed.data.terraform_version } : {}),
    ...(parsed.data.serial !== undefined ? { serial: parsed.data.serial } : {}),
    ...(parsed.data.lineage !== undefined ? { lineage: parsed.data.lineage } : {}),
    records,
  };
}

/** A Terraform state of any format version: an object with a numeric version and a state marker. */
function looksLikeState(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const o = raw as Record<string, unknown>;
  if (typeof o.version !== 'number') return false;
  return 'lineage' in o || 'terraform_version' in o || 'resources' in o || 'modules' in o;
}

function summarise(raw: unknown): unknown {
  if (Array.isArray(raw)) return `an array of ${raw.length}`;
  if (typeof raw === 'object' && raw !== null) return `an object with keys ${Object.keys(raw).slice(0, 5).join(', ') || '(none)'}`;
  return raw;
}

/**
 * The JSON Schema of the rollout file, generated from the zod schema, for editors
 * (`# yaml-language-server: $schema=./schema/idc-cmk.schema.json`). The committed file is checked for
 * freshness by a test; regenerate it with `npx ts-node --transpile-only config/write-json-schema.ts`.
 */
import { z } from 'zod';
import { rolloutFileSchema } from './schema';

/** Where the generated schema is committed, relative to the repository root. */
export const JSON_SCHEMA_PATH = 'schema/idc-cmk.schema.json';

/** The JSON Schema document (what a value may be when written, i.e. zod's input side). */
export function buildJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(rolloutFileSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...generated, title: 'idc-cmk rollout file' };
}

/** The schema file's exact text: pretty JSON with a final newline. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}

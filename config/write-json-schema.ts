/**
 * Writes `schema/idc-cmk.schema.json` from the zod schema. Run from the repository root:
 * `npx ts-node --transpile-only config/write-json-schema.ts` (or the compiled `node dist/config/write-json-schema.js`).
 */
import { writeFileSync } from 'fs';
import { resolve } from 'path';
import { JSON_SCHEMA_PATH, renderJsonSchema } from './json-schema';

const target = resolve(__dirname, '..', __dirname.endsWith('dist/config') ? '..' : '.', JSON_SCHEMA_PATH);
writeFileSync(target, renderJsonSchema());
process.stdout.write(`wrote ${target}\n`);

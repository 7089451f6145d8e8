import { readFileSync } from 'fs';
import { resolve } from 'path';
import { JSON_SCHEMA_PATH, buildJsonSchema, renderJsonSchema } from '../../config/json-schema';

const root = resolve(__dirname, '../..');

describe('the published JSON Schema', () => {
  test('the committed file matches the zod schema (regenerate: npx ts-node --transpile-only config/write-json-schema.ts)', () => {
    expect(readFileSync(resolve(root, JSON_SCHEMA_PATH), 'utf8')).toBe(renderJsonSchema());
  });

  test('is strict and carries the formats and limits of the zod schema', () => {
    const schema = buildJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: { targets: { items: { additionalProperties: boolean; required: string[]; properties: Record<string, { pattern?: string; minimum?: number; maximum?: number }> } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'targets']);
    const target = schema.properties.targets.items;
    expect(target.additionalProperties).toBe(false);
    expect(target.required).toEqual(['name', 'account', 'instanceArn', 'identityStoreId']);
    expect(target.properties.account!.pattern).toBe('^\\d{12}$');
    expect(target.properties.rotationPeriodInDays).toMatchObject({ minimum: 90, maximum: 2560 });
  });

  test('the example file points editors at it', () => {
    const firstLine = readFileSync(resolve(root, 'idc-cmk.yaml'), 'utf8').split('\n')[0];
    expect(firstLine).toBe(`# yaml-language-server: $schema=./${JSON_SCHEMA_PATH}`);
  });
});

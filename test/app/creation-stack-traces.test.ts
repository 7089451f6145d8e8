import { Lazy, Testing } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildApp } from '../../app/build-app';
import { withoutCreationStackTraces } from '../../app/creation-stack-traces';
import { parseRolloutConfig } from '../../config/load';
import { ACME, GLOBEX, rollout } from '../config/fixtures';

const NO_DEBUG = { env: {} };

function plainObjectTrace(): string {
  const holder = { stack: '' };
  Error.captureStackTrace(holder);
  return holder.stack;
}

function synthAll(): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'idc-cmk-traces-'));
  buildApp(parseRolloutConfig(rollout([ACME, GLOBEX]), 'test.yaml'), { app: Testing.app({ outdir }), projectDir: outdir }).app.synth();
  const dir = join(outdir, 'stacks');
  return Object.fromEntries(readdirSync(dir).map((id) => [id, JSON.parse(readFileSync(join(dir, id, 'cdk.tf.json'), 'utf8')) as unknown]));
}

describe('withoutCreationStackTraces', () => {
  test("cdktf tokens made inside carry no creation stack; outside they do (IResolvable.creationStack)", () => {
    const inside = withoutCreationStackTraces(() => Lazy.anyValue({ produce: () => 1 }), NO_DEBUG);
    const outside = Lazy.anyValue({ produce: () => 1 });
    expect(inside.creationStack).toEqual([]);
    expect(outside.creationStack.length).toBeGreaterThan(0);
  });

  test('real errors keep their stack traces inside, formatted as usual', () => {
    const inside = withoutCreationStackTraces(() => new Error('boom'), NO_DEBUG);
    const outside = new Error('boom');
    expect(inside.stack).toMatch(/^Error: boom\n\s+at /);
    expect(inside.stack?.split('\n')[0]).toBe(outside.stack?.split('\n')[0]);
    expect(plainObjectTrace()).toMatch(/\bat /);
  });

  test('the formatter in place before is back afterwards, also when the build throws', () => {
    const before = Error.prepareStackTrace;
    expect(withoutCreationStackTraces(() => plainObjectTrace(), NO_DEBUG)).toBe('');
    expect(Error.prepareStackTrace).toBe(before);
    expect(() =>
      withoutCreationStackTraces(() => {
        throw new Error('synth failed');
      }, NO_DEBUG),
    ).toThrow('synth failed');
    expect(Error.prepareStackTrace).toBe(before);
    expect(plainObjectTrace()).toMatch(/\bat /);
  });

  test('IDC_CMK_DEBUG=1 keeps every trace', () => {
    expect(withoutCreationStackTraces(() => plainObjectTrace(), { env: { IDC_CMK_DEBUG: '1' } })).toMatch(/\bat /);
  });

  test('the synthesized stacks are the same either way', () => {
    const plain = synthAll();
    const fast = withoutCreationStackTraces(() => synthAll(), NO_DEBUG);
    expect(Object.keys(fast).sort()).toEqual(['acme-prod', 'globex-prod']);
    expect(fast).toEqual(plain);
  });
});

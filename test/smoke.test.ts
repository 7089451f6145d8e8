import { captureIo } from '../cli/io';
import { runCli } from '../cli/main';
import { renderPolicy } from '../policy/render';

describe('idc-cmk CLI', () => {
  test('--help lists the commands and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['node', 'idc-cmk', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/drift/);
  });

  test('an unknown command exits 1', async () => {
    const io = captureIo();
    expect(await runCli(['node', 'idc-cmk', 'nope'], io)).toBe(1);
  });
});

test('renderPolicy orders keys and drops undefined fields', () => {
  expect(renderPolicy({ Version: '2012-10-17', Statement: [{ Resource: '*', Action: 'kms:*', Effect: 'Allow', Sid: 'A' }] })).toBe(
    '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"kms:*","Resource":"*"}]}',
  );
});

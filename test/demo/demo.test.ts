import { captureIo } from '../../cli/io';
import { runCli } from '../../cli/main';

test('idc-cmk demo: finds the planted drift (drift exit 2 shown) and itself exits 0', async () => {
  const io = captureIo({ env: { NO_COLOR: '1' } });
  const code = await runCli(['node', 'idc-cmk', 'demo'], io);
  expect(io.out()).toMatch(/POLICY_WIDENED/);
  expect(io.out()).toMatch(/ROTATION_DISABLED/);
  expect(io.err()).toMatch(/drift check exit code: 2 \(drift found\)/);
  expect(io.err()).toMatch(/ran as designed/);
  expect(code).toBe(0);
}, 60_000);

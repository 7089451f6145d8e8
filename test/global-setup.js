/**
 * Every temporary file of a test run (cdktf's Testing.app() makes a `cdktf.outdir.*` folder per app
 * and never removes it; tests' own mkdtemp folders) goes to one folder per run, which
 * global-teardown.js removes: a run leaves nothing in the machine's temp folder.
 */
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-jest-'));
  process.env.IDC_CMK_JEST_TMPDIR = dir;
  // os.tmpdir() reads TMPDIR on every call; jest's workers start after this and inherit it.
  process.env.TMPDIR = dir;
};

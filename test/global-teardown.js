/** Removes the run's temporary folder (see global-setup.js). */
const { rmSync } = require('fs');

module.exports = async () => {
  const dir = process.env.IDC_CMK_JEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
};

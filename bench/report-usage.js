// Preloaded into a measured child process (node -r): reports its peak RSS on exit, on fd 2 as one tagged line.
'use strict';
process.on('exit', () => {
  const kb = process.resourceUsage().maxRSS;
  try {
    require('fs').writeSync(2, `\n@@bench-usage ${JSON.stringify({ maxRssKb: kb })}\n`);
  } catch {
    /* stderr closed: nothing to report */
  }
});

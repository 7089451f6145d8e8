// Preloaded into a measured child process (node -r): reports its peak RSS and CPU time (all threads) on exit, on fd 2 as one tagged line.
'use strict';
process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuMicros = usage.userCPUTime + usage.systemCPUTime;
  try {
    require('fs').writeSync(2, `\n@@bench-usage ${JSON.stringify({ maxRssKb: usage.maxRSS, cpuMicros })}\n`);
  } catch {
    /* stderr closed: nothing to report */
  }
});

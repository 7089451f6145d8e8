#!/usr/bin/env node
'use strict';
// The idc-cmk CLI. Runs the compiled CLI (npm run build, or npm ci's prepare step);
// falls back to ts-node (transpile only) in a checkout that has not been built yet.
const path = require('path');
// The AWS SDK warns on every run that its 2027 releases will need Node 22; keep the CLI's output clean
// unless the user asks for the warning (set the variable to false).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled).main(process.argv);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  require(path.join(__dirname, '..', 'cli', 'main.ts')).main(process.argv);
}

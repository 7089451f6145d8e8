#!/usr/bin/env node
'use strict';
// The idc-cmk CLI. Runs the compiled CLI (npm run build, or npm ci's prepare step);
// falls back to ts-node (transpile only) in a checkout that has not been built yet.
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled).main(process.argv);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  require(path.join(__dirname, '..', 'cli', 'main.ts')).main(process.argv);
}

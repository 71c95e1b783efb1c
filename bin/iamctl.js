#!/usr/bin/env node
// Launcher for the iamctl CLI: runs the TypeScript sources through tsx's CommonJS hook.
require('tsx/cjs');
require('../src/cli/main.ts');

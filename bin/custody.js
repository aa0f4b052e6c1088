#!/usr/bin/env node
// The `custody` command. It runs the compiled JavaScript in dist/ when that is a build of the current
// sources (`npm ci` builds it): it starts in about 0.4 s. Otherwise it runs the TypeScript sources
// through tsx (about 1.2 s), so an edit never runs stale code and there is no build step to forget.
import { fileURLToPath } from 'node:url';
import { isFreshBuild } from './compiled.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.CUSTODY_FROM_SOURCE !== '1' && isFreshBuild(root)) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

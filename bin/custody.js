#!/usr/bin/env node
// The `custody` command. It runs the compiled JavaScript in dist/ when that is a build of the current
// sources (`npm ci` builds it): it starts in about 0.4 s. Otherwise it runs the TypeScript sources
// through tsx (about 1.2 s).
import { loadEntry } from './compiled.js';

await loadEntry('cli/main');

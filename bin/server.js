#!/usr/bin/env node
// `npm start`: the HTTP server, from the compiled JavaScript in dist/ when that is a build of the
// current sources (listening in ~0.75 s on a new ledger), else from the TypeScript sources through
// tsx (~1.4 s). The Docker image has no dist/ (no compiler in it) and runs the sources.
import { loadEntry } from './compiled.js';

const { main } = await loadEntry('server/main');
await main();

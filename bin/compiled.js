// Whether dist/ holds a build of the current sources: `npm run build` (which `npm ci` runs) writes
// dist/.built after a clean compile, and any source changed since makes the build stale. Plain
// JavaScript, so the `custody` command and `npm start` can ask before they load TypeScript at all.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILD_STAMP = join('dist', '.built');

/** True when `root`/dist/.built exists and no file under `root`/src is newer. */
export function isFreshBuild(root) {
  let built;
  try {
    built = statSync(join(root, BUILD_STAMP)).mtimeMs;
  } catch {
    return false;
  }
  return newestChange(join(root, 'src')) <= built;
}

/** The latest modification time of anything under `dir` (directories too: a deleted file changes its directory). */
function newestChange(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Loads an entry point (`cli/main`, `server/main`): its compiled JavaScript in dist/ when that is a
 * build of the current sources, else its TypeScript source through tsx, so an edit never runs stale
 * code and there is no build step to forget. CUSTODY_FROM_SOURCE=1 always takes the sources.
 */
export async function loadEntry(entry) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.env.CUSTODY_FROM_SOURCE !== '1' && isFreshBuild(root)) return import(`../dist/${entry}.js`);
  const { register } = await import('tsx/esm/api');
  register();
  return import(`../src/${entry}.ts`);
}

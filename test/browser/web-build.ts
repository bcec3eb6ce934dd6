// Builds the web app for browser tests when web/dist is missing or older than its sources. Test files run in
// parallel workers, so the build happens under a lock and the finished output is swapped in with renames:
// a hub never sees a half-written web/dist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(repoRoot, 'web');
const distDir = path.join(webDir, 'dist');
// Scratch space on the same file system as web/dist (so renames are atomic) and already ignored by git.
const scratchDir = path.join(repoRoot, 'node_modules', '.cache', 'cmehub-web-build');
const lockDir = path.join(scratchDir, 'lock');
const sourcePaths = ['index.html', 'vite.config.ts', 'public', 'src'].map((entry) => path.join(webDir, entry));
const staleLockMs = 5 * 60_000;

function newestModification(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestModification(path.join(entry, child)));
  return newest;
}

function isBuildFresh(): boolean {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) return false;
  const builtAt = fs.statSync(index).mtimeMs;
  return sourcePaths.every((entry) => newestModification(entry) <= builtAt);
}

async function withBuildLock<T>(work: () => T): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(scratchDir, { recursive: true });
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lockedAt = fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      // A lock left by a crashed run would otherwise block every later run.
      if (Date.now() - lockedAt > staleLockMs) fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function build() {
  const outDir = path.join(scratchDir, `dist-${process.pid}-${Date.now()}`);
  const result = spawnSync('npm', ['run', 'build:web', '--', '--outDir', outDir, '--emptyOutDir'], {
    cwd: repoRoot,
    encoding: 'utf8',
    // Test what ships: vitest sets NODE_ENV=test, which would make a development build of React.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw new Error(`npm run build:web failed:\n${result.stdout}\n${result.stderr}`);
  }
  const previous = path.join(scratchDir, `previous-${process.pid}-${Date.now()}`);
  if (fs.existsSync(distDir)) fs.renameSync(distDir, previous);
  fs.renameSync(outDir, distDir);
  fs.rmSync(previous, { recursive: true, force: true });
}

/** Makes sure web/dist holds a build of the current sources. */
export async function ensureWebAppBuilt(): Promise<void> {
  if (isBuildFresh()) return;
  await withBuildLock(() => {
    if (!isBuildFresh()) build();
  });
}

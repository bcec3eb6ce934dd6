import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The hub as users run it, in processes of its own: a server (`cmehub serve`) and `cmehub` commands.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The command users run, with its Node flags and its compile cache; its `node` is the one npm puts on the PATH.
const cmehubBin = path.join(repoRoot, 'bin', 'cmehub.js');

/** Runs a `cmehub` command to its end; one that would not end (a server that started) is stopped after a minute. */
export function runCmehub(env: NodeJS.ProcessEnv, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(cmehubBin, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 });
}

/** A `cmehub` command in a process of its own, as a script starts it (its output not a terminal), to signal while it runs. */
export function startCmehub(env: NodeJS.ProcessEnv, ...args: string[]): ChildProcess {
  return spawn(cmehubBin, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `cmehub serve` in a process of its own, once it answers. */
export function startServerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(cmehubBin, ['serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('CME Hub is running')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}):\n${output}`));
    });
  });
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

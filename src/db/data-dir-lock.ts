import fs from 'node:fs';
import path from 'node:path';

/**
 * A PGlite data directory belongs to one process at a time. PGlite runs the database inside the process that
 * opens it: a second process opening the same directory works on a database of its own, and what it takes in
 * is never seen by the first, and lost. The lock file beside the directory names the process that has it; a
 * lock whose process is gone (killed, or its machine restarted) is taken over.
 */
export class DataDirInUseError extends Error {}

/** `address`: where the hub this process serves answers, once it does. */
type Holder = { pid: number; command: string | null; since: string; address?: string };

/** Takes the data directory for this process; the function returned gives it back (as does the process's exit). */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  const mine: Holder = { pid: process.pid, command: cmehubCommand(), since: new Date().toISOString() };
  // A stale lock is removed and taken again; should another process take it in between, it holds it.
  for (let attempt = 0; !createLockFile(lockFile, mine); attempt++) {
    const holder = readHolder(lockFile);
    const held = holder ? isRunning(holder.pid) : justWritten(lockFile);
    if (attempt > 0 || held) throw new DataDirInUseError(inUseMessage(dataDir, lockFile, holder));
    fs.rmSync(lockFile, { force: true });
  }
  const release = () => {
    if (readHolder(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true });
  };
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    release();
  };
}

/** Says in the lock this process holds where the hub it serves answers: a command the lock refuses is told where to send its file. */
export function noteHubAddress(dataDir: string, address: string): void {
  const lockFile = `${dataDir}.lock`;
  const holder = readHolder(lockFile);
  if (holder?.pid === process.pid) fs.writeFileSync(lockFile, `${JSON.stringify({ ...holder, address })}\n`);
}

/** Creates the lock file, holding `holder`; false when it exists. */
function createLockFile(lockFile: string, holder: Holder): boolean {
  try {
    fs.writeFileSync(lockFile, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Who holds the lock; null when the file is gone or cannot be read (a process that died while writing it). */
function readHolder(lockFile: string): Holder | null {
  try {
    const holder = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/** A lock file that cannot be read yet may be one another process is writing now. */
function justWritten(lockFile: string): boolean {
  const modified = fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs;
  return modified !== undefined && Date.now() - modified < 2000;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process is there, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "cmehub start" when this process is the cmehub command; its other arguments (a password, a file) are not kept. */
function cmehubCommand(): string | null {
  const [, script, subcommand] = process.argv;
  const isCmehub = script !== undefined && (path.basename(script) === 'cmehub.js' || path.basename(script) === 'cmehub' || script.endsWith(path.join('src', 'cli', 'main.ts')));
  return isCmehub && subcommand && /^[a-z][a-z-]*$/.test(subcommand) ? `cmehub ${subcommand}` : null;
}

function inUseMessage(dataDir: string, lockFile: string, holder: Holder | null): string {
  const since = holder ? `since ${holder.since.slice(0, 16).replace('T', ' ')} UTC` : '';
  const who = holder ? `process ${holder.pid} (${[holder.command, since].filter(Boolean).join(', ')})` : 'another process';
  return [
    `The embedded database in ${dataDir} is in use by ${who}: one process at a time can open it.`,
    `Stop the hub first (or wait for that command to end), then run this again. To send a learner file while the hub runs, send it to the hub: cmehub import FILE --hub ${holder?.address ?? 'http://localhost:3000 (the address of the hub)'}, with an API key in CMEHUB_API_KEY; or upload it in the web app.`,
    `If no hub or cmehub command is running on this data directory, delete ${lockFile} and try again.`,
  ].join('\n');
}

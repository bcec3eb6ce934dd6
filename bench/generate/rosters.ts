import fs from 'node:fs';
import path from 'node:path';
import { personAt, STATES } from './population.ts';

const HEADER = 'License number,License type,Status,First name,Middle name,Last name,Previous last name,Birth month,Birth day,NPI\n';

export interface RosterFile {
  state: string;
  path: string;
  rows: number;
}

/** Writes one licensee roster per state (as each board would upload it) for persons 0..count-1. */
export function writeStateRosters(directory: string, seed: number, count: number): RosterFile[] {
  fs.mkdirSync(directory, { recursive: true });
  const files = new Map<string, { fd: number; buffer: string[]; size: number; rows: number; path: string }>();
  for (const state of STATES) {
    const file = path.join(directory, `roster-${state}.csv`);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, HEADER);
    files.set(state, { fd, buffer: [], size: 0, rows: 0, path: file });
  }
  const flush = (entry: { fd: number; buffer: string[]; size: number }) => {
    fs.writeSync(entry.fd, entry.buffer.join(''));
    entry.buffer = [];
    entry.size = 0;
  };
  for (let index = 0; index < count; index += 1) {
    const person = personAt(seed, index);
    for (const license of person.licenses) {
      const entry = files.get(license.state)!;
      const line = `${license.number},${license.type},${license.status},${person.firstName},${person.middleName ?? ''},${person.lastName},${person.previousLastName ?? ''},${person.birthMonth},${person.birthDay},${person.npi ?? ''}\n`;
      entry.buffer.push(line);
      entry.size += line.length;
      entry.rows += 1;
      if (entry.size > 1 << 20) flush(entry);
    }
  }
  return [...files.entries()].map(([state, entry]) => {
    flush(entry);
    fs.closeSync(entry.fd);
    return { state, path: entry.path, rows: entry.rows };
  });
}

/**
 * One board's roster of `count` licensees, for measuring a single large load: everyone's first license,
 * renumbered into the board's own series so that the numbers are unique.
 */
export function writeSingleRoster(file: string, seed: number, count: number): RosterFile {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, HEADER);
  let buffer: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const person = personAt(seed, index);
    const license = person.licenses[0];
    buffer.push(`A${String(index + 1).padStart(7, '0')},${license.type},${license.status},${person.firstName},${person.middleName ?? ''},${person.lastName},${person.previousLastName ?? ''},${person.birthMonth},${person.birthDay},${person.npi ?? ''}\n`);
    if (buffer.length >= 10_000) {
      fs.writeSync(fd, buffer.join(''));
      buffer = [];
    }
  }
  fs.writeSync(fd, buffer.join(''));
  fs.closeSync(fd);
  return { state: 'CA', path: file, rows: count };
}

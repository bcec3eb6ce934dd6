import { describe, expect, it } from 'vitest';
import { runCmehub } from '../../test/hub-process.ts';

function cmehub(...args: string[]) {
  return runCmehub(process.env, ...args);
}

describe('cmehub bench', () => {
  it("passes a benchmark its own options: --help shows that benchmark's usage", () => {
    const help = cmehub('bench', 'uploads', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('npm run bench -- uploads [--rows 1000000]');
  });

  it('refuses a mistyped option with the usage, before measuring anything', () => {
    const mistyped = cmehub('bench', 'reports', '--rat', '100');
    expect(mistyped.status).toBe(1);
    expect(mistyped.stderr).toContain("Unknown option '--rat'");
    expect(mistyped.stderr).toContain('[--rate 200]');
  });

  it('says so in one line when PostgreSQL cannot be reached, instead of a stack trace', () => {
    const unreachable = cmehub('bench', 'reports', '--url', 'postgres://postgres@127.0.0.1:1/postgres');
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr.trim()).toBe(
      'The benchmark cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED). Start it, or point --url at a server it can reach.',
    );
  });

  it('lists the benchmarks when none is named', () => {
    const list = cmehub('bench');
    expect(list.stdout + list.stderr).toMatch(/file-readers \| matching \| reports \| uploads/);
  });
});

import type { Command } from 'commander';

// The server's modules load only when a server starts: the other commands spare the time they take to load.
export function registerServeCommands(program: Command) {
  program
    .command('start')
    .description('Migrate, load demo data on the first run (unless an admin account is configured), build the web app if needed, and serve')
    .action(async () => (await import('./serve.ts')).startHub());

  program
    .command('serve')
    .description('Apply migrations and serve the hub')
    .action(async () => (await import('./serve.ts')).serveHub());
}

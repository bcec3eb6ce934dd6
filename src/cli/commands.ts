import type { Command } from 'commander';
import { registerAdminCommands } from './admin.commands.ts';
import { registerBenchCommand } from './bench.command.ts';
import { registerServeCommands } from './serve.command.ts';
import { registerImportRosterCommand } from './import-roster.command.ts';
import { registerImportLearnersCommand } from './import-learners.command.ts';
import { registerRosterCommands } from './roster.commands.ts';
import { registerUploadCommands } from './upload.commands.ts';
import { registerReportsCommands } from '../modules/reports/reports.commands.ts';

/** Every `cmehub` subcommand. Add one here, one line. */
export const cliCommands: ((program: Command) => void)[] = [registerServeCommands, registerAdminCommands, registerBenchCommand, registerReportsCommands, registerImportRosterCommand, registerImportLearnersCommand, registerRosterCommands, registerUploadCommands];

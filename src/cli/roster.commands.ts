import type { Command } from 'commander';
import { systemContext } from '../http/actor.ts';
import { createRegistryService } from '../modules/registry/registry.service.ts';
import { count } from '../modules/uploads/upload-lines.ts';
import { withHub } from './hub-command.ts';
import { idArgument } from './id-argument.ts';
import { boardOption, organizationNamed } from './organization-option.ts';

/** `cmehub roster …`: what a board does with its roster loads once they have run. */
export function registerRosterCommands(program: Command) {
  const roster = program.command('roster').description("A board's roster loads");
  roster
    .command('make-absent-inactive')
    .description(
      'Make inactive the licenses (or certifications) a full roster left out and left as they were, too many to make inactive unasked: ' +
        'the board says the file does list every licensee. Only while that load is the board\'s latest.',
    )
    .argument('<loadId>', "the full roster's load, as `cmehub import --roster --full` printed it")
    .requiredOption(boardOption.flags, `the board whose roster it is: ${boardOption.description}`)
    .action((loadId: string, options: { org: string }) => {
      idArgument(loadId, "a roster load's id", 'cmehub import --roster prints it, after "Load"');
      return withHub(async (hub) => {
        const registry = createRegistryService({ database: hub.database });
        const load = await registry.makeAbsentInactive(systemContext('cmehub roster'), await organizationNamed(hub, options.org), loadId);
        console.log(`${count(load.deactivated)} ${load.kind} not in ${load.fileName ?? 'the roster'} are now inactive.`);
      });
    });
}

import type { Command } from 'commander';
import { withHub } from '../../cli/hub-command.ts';
import { systemContext } from '../../http/actor.ts';
import { RETENTION_YEARS } from './use-cases/purge-old-reports.ts';

export function registerReportsCommands(program: Command) {
  program
    .command('purge-reports')
    .description(
      `Remove learner reports kept more than ${RETENTION_YEARS} years after their activity ended, leaving an aggregate trace per activity`,
    )
    .option('--today <date>', 'the date to count from, YYYY-MM-DD (default: today)')
    .action((options: { today?: string }) =>
      withHub(async (hub) => {
        const result = await hub.reports.purge(systemContext('cmehub purge-reports'), { today: options.today });
        console.log(
          result.purged === 0
            ? `No learner report is older than the retention period (activities ended before ${result.cutoffDate}).`
            : `Removed ${result.purged} learner reports of ${result.traces.length} activities ended before ${result.cutoffDate}; an aggregate trace of each is kept.`,
        );
      }),
    );

  program
    .command('rematch-reports')
    .description('Match pending learner reports against the registry again')
    .action(() =>
      withHub(async (hub) => {
        const result = await hub.reports.rematchPending(systemContext('cmehub rematch-reports'));
        console.log(
          `Examined ${result.examined} pending reports: ${result.accepted} accepted, ${result.duplicates} found to repeat another, ${result.stillPending} still pending.`,
        );
      }),
    );
}

import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { openConfiguredDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemContext } from '../http/actor.ts';
import { AppError } from '../http/errors.ts';
import { demoLogins, demoPassword, loadDemoData } from '../modules/demo/demo.ts';
import { createApiKeyBodySchema } from '../modules/api-keys/api-keys.schemas.ts';
import { CliError, withProblems } from './cli-error.ts';
import { withHub } from './hub-command.ts';
import { idArgument } from './id-argument.ts';
import { secretFromFile } from './secret-file.ts';
import { organizationNamed, organizationOption } from './organization-option.ts';

/** Turns a service's typed error into a one-line message for the terminal. */
async function reportingErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw new CliError(withProblems(error.message, error.problems, { fields: true }));
    throw error;
  }
}

export function registerAdminCommands(program: Command) {
  program
    .command('migrate')
    .description('Apply database migrations')
    .action(async () => {
      const database = await openConfiguredDatabase(loadConfig());
      try {
        const applied = await migrateToLatest(database.db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await database.close();
      }
    });

  program
    .command('demo')
    .description('Load the demo data set (organizations, one login per role, sample records)')
    .action(() =>
      withHub(async (hub) => {
        await loadDemoData(hub);
        console.log(`Demo data loaded. Password for every demo login: ${demoPassword}`);
        for (const [role, email] of Object.entries(demoLogins)) console.log(`  ${role.padEnd(22)} ${email}`);
      }),
    );

  const user = program.command('user').description('Manage accounts');
  user
    .command('create')
    .description('Create an account in an organization, or a physician account')
    .requiredOption('--email <email>')
    .option('--password-file <file>', "a file holding the account's password (at least 12 characters), kept off the command line")
    .option('--password <password>', "the password itself, for a script that must: the shell's history keeps it")
    .requiredOption('--role <role>', 'operator | provider_admin | provider_staff | board_admin | board_staff | physician')
    .option(organizationOption.flags, `the organization (not for physicians): ${organizationOption.description}`)
    .option('--name <displayName>')
    .action((options: { email: string; password?: string; passwordFile?: string; role: string; org?: string; name?: string }) =>
      withHub((hub) =>
        reportingErrors(async () => {
          const context = systemContext('cli');
          const password = accountPassword(options);
          const created =
            options.role === 'physician'
              ? await hub.users.createPhysician(context, {
                  email: options.email,
                  password,
                  displayName: options.name ?? options.email,
                })
              : await hub.users.create(context, await organizationNamed(hub, requireOrg(options.org)), {
                  email: options.email,
                  password,
                  role: options.role as never,
                  displayName: options.name,
                });
          console.log(`Created ${created.role} ${created.email} (${created.id}).`);
        }),
      ),
    );
  user
    .command('list')
    .description("List an organization's accounts")
    .requiredOption(organizationOption.flags, organizationOption.description)
    .action((options: { org: string }) =>
      withHub((hub) =>
        reportingErrors(async () => {
          const { items } = await hub.users.list(systemContext('cli'), await organizationNamed(hub, options.org));
          for (const item of items) console.log(`${item.id}  ${item.role.padEnd(15)} ${item.email}`);
        }),
      ),
    );

  const apikey = program.command('apikey').description("Manage an organization's API keys");
  apikey
    .command('create')
    .requiredOption(organizationOption.flags, organizationOption.description)
    .requiredOption('--name <name>')
    .option('--expires-in-days <days>', 'the key stops working this many days from now (without it, when revoked)', (days) => {
      // The API's own rule, and its words.
      const checked = createApiKeyBodySchema.shape.expiresInDays.safeParse(days.trim() === '' ? Number.NaN : Number(days));
      if (!checked.success) throw new InvalidArgumentError(checked.error.issues[0].message);
      return checked.data;
    })
    .action((options: { org: string; name: string; expiresInDays?: number }) =>
      withHub((hub) =>
        reportingErrors(async () => {
          const created = await hub.apiKeys.create(systemContext('cli'), await organizationNamed(hub, options.org), { name: options.name, expiresInDays: options.expiresInDays });
          const until = created.expiresAt ? `, expires ${created.expiresAt.slice(0, 10)}` : '';
          // The key alone on standard output, so that `> key.txt` makes the file --api-key-file reads.
          console.error(`API key ${created.name} (${created.id}${until}). Shown once, keep it safe:`);
          console.log(created.key);
        }),
      ),
    );
  apikey
    .command('list')
    .requiredOption(organizationOption.flags, organizationOption.description)
    .action((options: { org: string }) =>
      withHub((hub) =>
        reportingErrors(async () => {
          const { items } = await hub.apiKeys.list(systemContext('cli'), await organizationNamed(hub, options.org));
          for (const item of items) {
            const state = item.revokedAt ? '  (revoked)' : item.expiresAt ? `  (${Date.parse(item.expiresAt) <= Date.now() ? 'expired' : 'expires'} ${item.expiresAt.slice(0, 10)})` : '';
            console.log(`${item.id}  ${item.prefix}  ${item.name}${state}`);
          }
        }),
      ),
    );
  apikey
    .command('revoke')
    .requiredOption(organizationOption.flags, organizationOption.description)
    .requiredOption('--id <keyId>')
    .action((options: { org: string; id: string }) => {
      idArgument(options.id, "an API key's id", 'cmehub apikey list prints it, first on each line');
      return withHub((hub) =>
        reportingErrors(async () => {
          await hub.apiKeys.revoke(systemContext('cli'), await organizationNamed(hub, options.org), options.id);
          console.log('Revoked.');
        }),
      );
    });
}

/** The new account's password: from --password-file, or, should a script give it so, from --password. */
function accountPassword(options: { password?: string; passwordFile?: string }): string {
  if (options.password !== undefined && options.passwordFile) throw new CliError('Give the password once: --password-file, or --password.');
  if (options.passwordFile) return secretFromFile(options.passwordFile, 'password', "the account's password");
  if (options.password !== undefined) return options.password;
  throw new CliError("The account needs a password: --password-file names a file holding it (at least 12 characters), which keeps it out of the shell's history.");
}

function requireOrg(org: string | undefined): string {
  if (!org) throw new CliError("--org is required for this role: the organization's id, its 7-digit provider ID, its board code (ABIM) or its name.");
  return org;
}

import type { Command } from 'commander';
import { ROLES } from '../../domain/access/index.js';
import { ArrearsError } from '../../domain/errors.js';
import { addAgency, placeAccounts } from '../../services/agencies/index.js';
import { addUser, createApiToken, revokeApiToken } from '../../services/users/index.js';
import { withStore } from '../context.js';
import { printJson } from '../output.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUsers(program: Command): void {
  const user = program.command('user').description('manage users');
  user
    .command('add')
    .description(`create a user; roles: ${ROLES.join(', ')}`)
    .argument('<username>', 'lower-case login name')
    .requiredOption('--role <role>', 'one of the roles')
    .option('--agency <ref>', 'agency ref (agency_user only)')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input (otherwise ARREARS_PASSWORD)')
    .option('--json', 'print the user as JSON')
    .action(
      async (
        username: string,
        opts: { role: string; agency?: string; name?: string; passwordStdin?: boolean; json?: boolean },
      ) => {
        const password = opts.passwordStdin ? await readStdin() : process.env.ARREARS_PASSWORD;
        if (!password)
          throw new ArrearsError(
            'invalid',
            'give the password on standard input with --password-stdin, or in ARREARS_PASSWORD',
          );
        const u = await withStore((store) =>
          addUser(store, null, {
            username,
            role: opts.role,
            agency: opts.agency,
            displayName: opts.name,
            password,
          }),
        );
        if (opts.json) return printJson(u);
        process.stdout.write(
          `Created ${u.role} "${u.username}"${u.agency ? ` of agency ${u.agency}` : ''}.\n`,
        );
      },
    );

  const token = program.command('token').description('API tokens for integrations');
  token
    .command('revoke')
    .description('revoke an API token by its id: from the next request on it authenticates nobody')
    .argument('<id>')
    .action(async (id: string) => {
      if (!/^[1-9]\d{0,15}$/.test(id))
        throw new ArrearsError('invalid', `token id must be a positive whole number (got "${id}")`);
      await withStore((store) => revokeApiToken(store, null, Number(id)));
      process.stdout.write(`Revoked API token ${id}.\n`);
    });
  token
    .command('add')
    .description('create an API token for a user (printed once; only its hash is stored)')
    .argument('<username>')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--json', 'print as JSON')
    .action(async (username: string, opts: { name: string; json?: boolean }) => {
      const t = await withStore((store) => createApiToken(store, null, username, opts.name));
      if (opts.json) return printJson(t);
      process.stdout.write(`${t.token}\n`);
    });

  const agency = program.command('agency').description('collection agencies and placements');
  agency
    .command('add')
    .argument('<ref>')
    .argument('<name>')
    .action(async (ref: string, name: string) => {
      await withStore((store) => addAgency(store, null, { ref, name }));
      process.stdout.write(`Created agency ${ref}.\n`);
    });
  agency
    .command('place')
    .description('place accounts with an agency (recalling them from any other)')
    .argument('<agency>')
    .argument('<accounts...>')
    .action(async (ref: string, accounts: string[]) => {
      const r = await withStore((store) => placeAccounts(store, null, ref, accounts));
      process.stdout.write(`Placed ${r.placed} accounts with ${ref}.\n`);
    });
}

import type { Command } from 'commander';
import {
  generateKey,
  keyConfigFromEnv,
  listKeys,
  rotateKey,
  type PublicKeyInfo,
} from '../../notices/index.js';
import { withStore } from '../context.js';
import { printJson, table } from '../output.js';

function print(keys: PublicKeyInfo[], json: boolean | undefined) {
  if (json) return printJson({ keys });
  process.stdout.write(
    table(
      ['key', 'status', 'created', 'public key'],
      keys.map((k) => [k.keyId, k.status, k.createdAt, k.publicKey]),
    ) + '\n',
  );
}

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('Ed25519 keys that sign every notice (public halves only are shown)');
  keys
    .command('generate')
    .description(
      'create the first signing key (or register ARREARS_SIGNING_KEY); private half in the data folder',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const k = await withStore((store) => generateKey(store, keyConfigFromEnv()));
      print([k], opts.json);
    });
  keys
    .command('rotate')
    .description('retire the active key (it still verifies what it signed) and make a new one active')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const k = await withStore((store) => rotateKey(store, keyConfigFromEnv()));
      print([k], opts.json);
    });
  keys
    .command('show')
    .description('list the public keys, active and retired')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => print(await withStore(listKeys), opts.json));
}

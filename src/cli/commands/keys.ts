import type { Command } from 'commander';
import { Option } from 'commander';
import { fail } from '../../core/errors.js';
import { createApiKey } from '../../serve/auth/api-keys.js';
import { openStore } from '../../store/index.js';
import { jsonOption, openWorkspace, printJson, workspaceOption, type CommonOptions } from '../common.js';

interface KeysOptions extends CommonOptions {
  store?: string;
  role?: string;
  label?: string;
}

/**
 * `vitrine keys create|list|revoke`: API keys for the service's write,
 * seller and admin routes. A new key is printed once; the store keeps only
 * its SHA-256 hash.
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys for the service (create prints the key once; only its hash is stored)');
  const storeOption = (): Option => new Option('--store <db>', 'the store (default <workspace>/vitrine.db)');

  keys
    .command('create')
    .description('create a key')
    .addOption(new Option('--role <role>', 'what the key may do').choices(['writer', 'seller', 'admin']).makeOptionMandatory())
    .option('--label <text>', 'a note to recognise it by', '')
    .addOption(storeOption())
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action((opts: KeysOptions) => {
      const ws = openWorkspace(opts);
      const store = openStore(opts.store ?? ws.store);
      try {
        const key = createApiKey(store, opts.role!, opts.label ?? '');
        if (opts.json) return printJson(key);
        console.log(key.key);
        process.stderr.write(`vitrine: ${key.role} key ${key.id} created; it is shown only now (the store keeps its hash). Send it as the x-api-key header.\n`);
      } finally {
        store.close();
      }
    });

  keys
    .command('list')
    .description('list keys (ids, roles, labels; never secrets)')
    .addOption(storeOption())
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action((opts: KeysOptions) => {
      const ws = openWorkspace(opts);
      const store = openStore(opts.store ?? ws.store);
      try {
        const list = store.listApiKeys();
        if (opts.json) return printJson(list);
        for (const k of list) console.log(`${k.id}  ${k.role.padEnd(6)}  ${k.createdAt}  ${k.revokedAt === null ? 'active ' : 'revoked'}  ${k.label}`);
        if (list.length === 0) console.log('no keys (create one with: vitrine keys create --role admin)');
      } finally {
        store.close();
      }
    });

  keys
    .command('revoke')
    .description('revoke a key by its id (the server notices within 30 s, or at once when revoked through the API)')
    .argument('<id>', 'key id, e.g. k3f9a1c2d')
    .addOption(storeOption())
    .addOption(workspaceOption())
    .action((id: string, opts: KeysOptions) => {
      const ws = openWorkspace(opts);
      const store = openStore(opts.store ?? ws.store);
      try {
        if (!store.revokeApiKey(id, new Date().toISOString())) fail('UNKNOWN_ID', `no API key "${id}"`, { hint: 'vitrine keys list shows the ids' });
        console.log(`revoked ${id}`);
      } finally {
        store.close();
      }
    });
}

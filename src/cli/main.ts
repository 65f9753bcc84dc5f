import { Command, CommanderError } from 'commander';
import { registerAllocate } from './commands/allocate.js';
import { registerCompliance } from './commands/compliance.js';
import { registerContacts } from './commands/contacts.js';
import { registerDemo } from './commands/demo.js';
import { registerDispatch } from './commands/dispatch.js';
import { registerKeys } from './commands/keys.js';
import { registerOutbox } from './commands/outbox.js';
import { registerPlans } from './commands/plans.js';
import { registerTemplates } from './commands/templates.js';
import { registerVerify } from './commands/verify.js';
import { registerImport } from './commands/import.js';
import { registerPortfolio } from './commands/portfolio.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStatement } from './commands/statement.js';
import { registerAudit } from './commands/audit.js';
import { registerServe } from './commands/serve.js';
import { registerUsers } from './commands/users.js';
import { registerStrategy } from './commands/strategy.js';
import { registerCycle } from './commands/cycle.js';
import { registerWorker } from './commands/worker.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerWebhooks } from './commands/webhooks.js';
import { reportError } from './output.js';

const program = new Command();
program
  .name('arrears')
  .description('Arrears — open-source debt collection: honest statements, lawful contact, verifiable notices')
  .version('0.1.0')
  .exitOverride();

registerImport(program);
registerStatement(program);
registerPortfolio(program);
registerStrategy(program);
registerSimulate(program);
registerCycle(program);
registerWorker(program);
registerDemo(program);
registerServe(program);
registerUsers(program);
registerAudit(program);
registerKeys(program);
registerTemplates(program);
registerOutbox(program);
registerDispatch(program);
registerVerify(program);
registerCompliance(program);
registerAllocate(program);
registerPlans(program);
registerContacts(program);
registerReconcile(program);
registerWebhooks(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    reportError(e, process.argv.includes('--json'));
  }
}

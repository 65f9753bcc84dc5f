import { Command, CommanderError } from 'commander';
import { registerCompliance } from './commands/compliance.js';
import { registerDemo } from './commands/demo.js';
import { registerImport } from './commands/import.js';
import { registerPortfolio } from './commands/portfolio.js';
import { registerStatement } from './commands/statement.js';
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
registerDemo(program);
registerCompliance(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    reportError(e, process.argv.includes('--json'));
  }
}

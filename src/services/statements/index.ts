export {
  getStatement,
  statementsByIds,
  statementJson,
  resolveAsOf,
  writeOffsOf,
  WRITE_OFF_EVENT,
  type AccountStatement,
} from './statement.js';
export { snapshotPortfolio, portfolioJson, type PortfolioSummary } from './portfolio.js';
export { termsFor } from './terms.js';
export { readOpenAccounts, type OpenAccount } from './accounts.js';

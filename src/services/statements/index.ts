export { getStatement, statementJson, resolveAsOf, type AccountStatement } from './statement.js';
export { snapshotPortfolio, portfolioJson, type PortfolioSummary } from './portfolio.js';
export { termsFor } from './terms.js';
export { readOpenAccounts, type OpenAccount } from './accounts.js';

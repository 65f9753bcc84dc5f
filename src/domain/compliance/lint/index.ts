export { CONTENT_RULES, LINT_CATEGORIES, categoriesOf, type LintCategory } from './categories.js';
export { lintMessage, type LintFinding, type LintOptions, type LintResult } from './linter.js';
export { normalize, type Normalized } from './normalize.js';

export * from './types.js';
export * from './statement.js';

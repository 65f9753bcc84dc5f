export * from './allocate.js';

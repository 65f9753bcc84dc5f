export * from './allocate.js';
export * from './skills.js';

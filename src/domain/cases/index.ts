export * from './transitions.js';
export * from './automatic.js';

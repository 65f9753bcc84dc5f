export { buildApp, API_VERSION, type AppOptions, type ArrearsApp } from './app.js';
export { HTTP_STATUS } from './errors.js';
export { SESSION_COOKIE, CSRF_HEADER, type RouteEntry, type Access } from './auth.js';

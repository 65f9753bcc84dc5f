import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Principal, type Role } from '../domain/access/index.js';
import { ArrearsError } from '../domain/errors.js';
import { scoped, type Store } from '../store/index.js';
import { principalFromSession, principalFromToken } from '../services/users/index.js';

/** What a route allows: a list of roles, or 'public' for health, docs and login. */
export type Access = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'arrears_session';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

/**
 * Registers the access check. Every route must declare `config.access` (start-up fails otherwise,
 * so no route is ever public by omission); the list of routes is returned for the route × role test.
 */
export function registerAuth(app: FastifyInstance, store: Store): RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${String(route.method)} ${route.url} does not declare config.access`);
    // HEAD routes are Fastify's automatic copies of GET routes (same config); list each route once.
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, access });
  });
  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (access === 'public') return;
    if (access === undefined) {
      // Only the not-found handler and the static docs pages have no declared access; anything else fails closed.
      if (request.is404 || request.routeOptions.url?.startsWith('/api/docs')) return;
      throw new ArrearsError('forbidden', 'this route declares no access');
    }
    request.principal = await authenticate(store, request);
    if (!request.principal) throw new ArrearsError('unauthenticated', 'sign in or send an API token');
    if (!access.includes(request.principal.role))
      throw new ArrearsError('forbidden', `the role ${request.principal.role} may not do this`);
  });
  return routes;
}

async function authenticate(store: Store, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? principalFromToken(store, m[1]!) : null;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const principal = await principalFromSession(store, cookie);
  // A cookie rides along on cross-site requests; an unsafe method must also prove the session's CSRF
  // token in a header, which another site cannot read or set.
  if (principal && UNSAFE.has(request.method) && request.headers[CSRF_HEADER] !== principal.csrfToken)
    throw new ArrearsError('forbidden', `missing or wrong ${CSRF_HEADER} header for this session`, {
      reason: 'csrf',
    });
  return principal;
}

/** The principal of an authenticated route (the preHandler guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ArrearsError('unauthenticated', 'sign in or send an API token');
  return request.principal;
}

/** Runs a service call in the request's data scope: an agency user's under row-level security. */
export function inScope<T>(
  store: Store,
  request: FastifyRequest,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  return scoped(store, principalOf(request).agencyId, fn);
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { createApiToken, login, logout, revokeApiToken } from '../../services/users/index.js';
import { principalOf, SESSION_COOKIE } from '../auth.js';
import { AllRoles, doc, errorResponses } from '../schemas.js';

export interface AuthRouteOptions {
  secureCookies: boolean;
  loginRateLimit: { max: number; timeWindow: number };
}

const UserSchema = z.object({
  username: z.string(),
  displayName: z.string().optional(),
  role: z.enum(ROLES),
  agency: z.string().nullable(),
});

export function authRoutes(app: FastifyInstance, store: Store, options: AuthRouteOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: options.loginRateLimit },
      schema: {
        ...doc(
          'auth',
          'Sign in with a password',
          'public',
          `Sets an httpOnly session cookie (${SESSION_COOKIE}) and returns the CSRF token that unsafe requests with that cookie must send in X-CSRF-Token. Rate-limited per client address; five wrong passwords in a row lock the user for 15 minutes.`,
        ),
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
        response: {
          200: z.object({ user: UserSchema, csrfToken: z.string(), expiresAt: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await login(store, request.body.username, request.body.password);
      void reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        httpOnly: true,
        secure: options.secureCookies,
        sameSite: 'strict',
        path: '/',
        expires: result.expiresAt,
      });
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    },
  );
  r.post(
    '/api/v1/auth/logout',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('auth', 'End this session', AllRoles),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await logout(store, principalOf(request));
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/v1/auth/me',
    {
      config: { access: AllRoles },
      schema: {
        ...doc('auth', 'Who am I (and the CSRF token of a cookie session)', AllRoles),
        response: {
          200: z.object({
            username: z.string(),
            role: z.enum(ROLES),
            via: z.enum(['session', 'token', 'cli']),
            csrfToken: z.string().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return {
        username: p.username,
        role: p.role,
        via: p.via,
        ...(p.csrfToken ? { csrfToken: p.csrfToken } : {}),
      };
    },
  );
  r.post(
    '/api/v1/auth/tokens',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'auth',
          'Create an API token for yourself',
          AllRoles,
          'The token is shown once; send it as `Authorization: Bearer <token>`. It carries your role (and agency).',
        ),
        body: z.object({ name: z.string().min(1).max(100) }),
        response: {
          201: z.object({ id: z.number(), name: z.string(), token: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      return reply.status(201).send(await createApiToken(store, p, p.username, request.body.name));
    },
  );
  r.delete(
    '/api/v1/auth/tokens/:id',
    {
      config: { access: AllRoles },
      schema: {
        ...doc(
          'auth',
          'Revoke an API token',
          AllRoles,
          'Your own tokens; an admin may revoke anyone’s. From the next request on the token authenticates nobody. 404 for a token that does not exist or is not yours.',
        ),
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await revokeApiToken(store, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

export { UserSchema };

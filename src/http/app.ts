import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { ArrearsError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { registerAuth, type RouteEntry } from './auth.js';
import { errorHandler } from './errors.js';
import { loggerOptions } from './logging.js';
import { accountRoutes } from './routes/accounts.js';
import { agencyRoutes } from './routes/agencies.js';
import { noticeRoutes } from './routes/notices.js';
import { auditRoutes } from './routes/audit.js';
import { webhookRoutes } from './routes/webhooks.js';
import { reconciliationRoutes } from './routes/reconciliations.js';
import { authRoutes } from './routes/auth.js';
import { caseRoutes } from './routes/cases.js';
import { complaintRoutes } from './routes/complaints.js';
import { contactRoutes } from './routes/contacts.js';
import { paymentRoutes } from './routes/payments.js';
import { planRoutes } from './routes/plans.js';
import { promiseRoutes } from './routes/promises.js';
import { queueRoutes } from './routes/queues.js';
import { systemRoutes } from './routes/system.js';
import { userRoutes } from './routes/users.js';

export interface AppOptions {
  /** pino level, or false for no logs (tests). Default 'info'. */
  logLevel?: string | false;
  /** Where logs go (default stdout); tests pass a stream to read them. */
  logStream?: DestinationStream;
  /** Login attempts per client address per window. Default 10 a minute. */
  loginRateLimit?: { max: number; timeWindow: number };
  /** Verification lookups per address (public route): default 30 a minute. */
  verifyRateLimit?: { max: number; timeWindow: number };
  /** The Secure flag on the session cookie. Default true (browsers accept it on http://localhost too). */
  secureCookies?: boolean;
}

export interface ArrearsApp {
  app: FastifyInstance;
  /** Every route with the roles it allows (the route × role test walks this). */
  routes: RouteEntry[];
  /** Readiness turns false as shutdown begins, so a load balancer stops sending traffic first. */
  state: { ready: boolean };
}

export const API_VERSION = '1.0.0';

/**
 * Builds the HTTP server over a store: `/api/v1`, `/api/openapi.json`, `/api/docs`, `/health`, `/ready`.
 * Usable with `app.inject` in tests and with `app.listen` for real.
 *
 * @example const { app } = await buildApp(store); await app.listen({ port: 3000, host: '127.0.0.1' });
 */
export async function buildApp(store: Store, options: AppOptions = {}): Promise<ArrearsApp> {
  const app = Fastify({
    logger: options.logLevel === false ? false : loggerOptions(options.logLevel ?? 'info', options.logStream),
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
  const state = { ready: true };
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    errorHandler(
      new ArrearsError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  );
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new ArrearsError('rate_limited', `too many attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s`),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Arrears API',
        version: API_VERSION,
        description:
          'Debt collection with honest numbers: accounts, itemised statements, payments, agencies, audit. Errors always have the shape {"error":{"code","message","details"?}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from POST /api/v1/auth/tokens' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'arrears_session',
            description: 'from POST /api/v1/auth/login',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  const routes = registerAuth(app, store);
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  systemRoutes(app, store, state);
  authRoutes(app, store, {
    secureCookies: options.secureCookies ?? true,
    loginRateLimit: options.loginRateLimit ?? { max: 10, timeWindow: 60_000 },
  });
  userRoutes(app, store);
  accountRoutes(app, store);
  paymentRoutes(app, store);
  promiseRoutes(app, store);
  planRoutes(app, store);
  caseRoutes(app, store);
  contactRoutes(app, store);
  complaintRoutes(app, store);
  agencyRoutes(app, store);
  auditRoutes(app, store);
  noticeRoutes(app, store, options.verifyRateLimit ?? { max: 30, timeWindow: 60_000 });
  queueRoutes(app, store);
  webhookRoutes(app, store);
  reconciliationRoutes(app, store);
  await app.ready();
  return { app, routes, state };
}

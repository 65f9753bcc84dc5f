import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ArrearsError } from '../../domain/errors.js';
import type { Store } from '../../store/index.js';
import { doc, errorResponses } from '../schemas.js';

export function systemRoutes(app: FastifyInstance, store: Store, state: { ready: boolean }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        ...doc('system', 'The process is alive', 'public'),
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        ...doc('system', 'The server can take traffic: database reachable, not shutting down', 'public'),
        response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), ...errorResponses },
      },
    },
    async () => {
      if (!state.ready) throw new ArrearsError('unavailable', 'the server is shutting down');
      try {
        await store.transaction(({ sql }) => sql.query('SELECT 1'));
      } catch {
        throw new ArrearsError('unavailable', 'the database is not reachable');
      }
      return { status: 'ready' as const, database: store.kind };
    },
  );
}

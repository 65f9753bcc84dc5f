import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES, type Role } from '../../domain/access/index.js';
import type { Store } from '../../store/index.js';
import { addUser, listUsers } from '../../services/users/index.js';
import { principalOf } from '../auth.js';
import { doc, errorResponses } from '../schemas.js';

const ADMIN: readonly Role[] = ['admin'];
const UserView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  agency: z.string().nullable(),
  disabled: z.boolean(),
});

export function userRoutes(app: FastifyInstance, store: Store) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/users',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('users', 'List users', ADMIN),
        response: { 200: z.object({ items: z.array(UserView) }), ...errorResponses },
      },
    },
    async () => ({ items: await listUsers(store) }),
  );
  r.post(
    '/api/v1/users',
    {
      config: { access: ADMIN },
      schema: {
        ...doc('users', 'Create a user', ADMIN),
        body: z.object({
          username: z.string(),
          displayName: z.string().max(200).optional(),
          role: z.enum(ROLES),
          agency: z.string().optional().describe('agency ref, required for agency_user'),
          password: z.string().max(1024),
        }),
        response: { 201: UserView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addUser(store, principalOf(request), request.body)),
  );
}

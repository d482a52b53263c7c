import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

export const personSchema = z
  .object({
    id: z.uuid(),
    upn: z.string(),
    displayName: z.string(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
    office: z.string().nullable(),
    country: z.string().nullable(),
    preferredLanguage: z.string().nullable(),
    managerId: z.uuid().nullable(),
    roles: z.array(z.string()),
  })
  .meta({ id: 'Person' });

export function meRoutes(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/me',
    {
      schema: {
        tags: ['people'],
        summary: 'The signed-in person',
        security: [{ bearer: [] }],
        response: { 200: personSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const { person } = principalOf(request);
      return {
        id: person.id,
        upn: person.upn,
        displayName: person.displayName,
        jobTitle: person.jobTitle,
        department: person.department,
        office: person.office,
        country: person.country,
        preferredLanguage: person.preferredLanguage,
        managerId: person.managerId,
        roles: person.roles,
      };
    },
  );
}

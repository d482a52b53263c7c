import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '@ruche/core';

export const clientConfigSchema = z
  .object({
    signIn: z.enum(['entra', 'local']).meta({ description: 'entra: Entra ID tokens (Nested App Authentication in Teams); local: the development sign-in' }),
    clientId: z.string().nullable().meta({ description: 'The client id of the API app registration, the one the tabs sign in with' }),
    authority: z.string().nullable().meta({ description: 'The Entra authority host (the tenant comes from the Teams context)' }),
    apiScope: z.string().nullable().meta({ description: 'The scope the tabs ask for, e.g. api://<host>/<client id>/access_as_user' }),
    teamsAppId: z.string().nullable().meta({ description: 'The Teams app id that deep links open' }),
  })
  .meta({ id: 'ClientConfig' });

export type ClientConfig = z.infer<typeof clientConfigSchema>;

/** What the tabs need before signing in; public, holds no secret. */
export function clientConfigOf(config: Config): ClientConfig {
  const clientId = config.auth.clientId ?? null;
  const resource = config.auth.appIdUri ?? (clientId ? `api://${clientId}` : null);
  return {
    signIn: config.local && config.devSignIn ? 'local' : 'entra',
    clientId,
    authority: clientId ? config.auth.authorityHost : null,
    apiScope: resource ? `${resource}/${config.auth.requiredScope}` : null,
    teamsAppId: config.teamsAppId ?? null,
  };
}

export function clientConfigRoutes(app: FastifyInstance, config: Config): void {
  const body = clientConfigOf(config);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/client-config',
    {
      schema: {
        tags: ['operations'],
        summary: 'How the tabs sign in and link: client id, API scope, Teams app id (no secret; no token needed)',
        response: { 200: clientConfigSchema },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return body;
    },
  );
}

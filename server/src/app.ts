import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { JWTVerifyGetKey } from 'jose';
import { type Config, type Db, type FileStore, type Logger, localFolderFileStore } from '@ruche/core';
import { authenticator } from './auth/authenticate.js';
import { createDevIdentityProvider, type DevIdentityProvider } from './auth/dev-identity.js';
import { entraTokenVerifier, rememberingVerifier, type TokenVerifier } from './auth/tokens.js';
import { attachmentRoutes } from './routes/attachments.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerProblemHandlers } from './http/problem.js';
import { contentSecurityPolicy } from './http/security.js';
import { registerTabs } from './http/tabs.js';
import { devRoutes, devRoutesRefused } from './routes/dev.js';
import { healthRoutes, type HealthState } from './routes/health.js';
import { clientConfigRoutes } from './routes/client-config.js';
import { meRoutes } from './routes/me.js';
import { adminSyncRoutes } from './routes/admin-sync.js';
import { groupLinkRoutes } from './routes/group-links.js';
import { photoRoutes } from './routes/photos.js';
import { newsRoutes } from './routes/news.js';
import { postRoutes } from './routes/posts.js';
import { governanceRoutes } from './routes/governance.js';
import { feedRoutes } from './routes/feeds.js';
import { announcementRoutes } from './routes/announcements.js';
import { searchRoutes } from './routes/search.js';
import { communityRoutes } from './routes/communities.js';
import { notificationRoutes } from './routes/notifications.js';
import { eventsRoutes } from './routes/events.js';
import { peopleRoutes } from './routes/people.js';
import { expertRoutes } from './routes/experts.js';
import { recognitionRoutes } from './routes/recognition.js';
import { similarRoutes } from './routes/similar.js';
import { meetupRoutes } from './routes/meetups.js';
import { insightRoutes } from './routes/insights.js';
import { mountBot } from './bot-mount.js';
import { registerRequestTelemetry } from './observability/http.js';

export interface AppOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** The tenant of local mode (the demo organisation). */
  localTenantId: string;
  /** Where attachment bytes go; defaults to the local folder of the configuration. */
  files?: FileStore;
  /** Signing keys for Entra tokens; defaults to Entra's JWKS (tests pass local keys). */
  entraKeys?: JWTVerifyGetKey;
  /** The built tabs (default tabs/dist); served at /tabs/ when they exist. */
  tabsDir?: string;
  /** Request metrics (and spans when `tracing`), when telemetry is configured (see observability/). */
  telemetry?: { tracing: boolean };
}

export interface RucheApp {
  app: FastifyInstance;
  health: HealthState;
  devIdentity?: DevIdentityProvider;
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

export async function buildApp(options: AppOptions): Promise<RucheApp> {
  const { config, db, logger } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: !config.local,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);
  if (options.telemetry) registerRequestTelemetry(app, options.telemetry);
  // The API speaks JSON only; any other body gets 415.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config.local) },
    // Framing is governed by CSP frame-ancestors (Teams, Outlook, SharePoint); X-Frame-Options cannot list them.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: config.local ? false : { maxAge: 31_536_000, includeSubDomains: true },
  });
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-request-id'],
    exposedHeaders: ['etag', 'x-request-id', 'retry-after'],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ruche API',
        version: '1',
        description:
          'The social layer of a Microsoft 365 intranet. Errors are application/problem+json (RFC 9457). ' +
          'Collections are paginated with an opaque cursor.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An Entra ID access token for the API (scope access_as_user); in local mode, a development token.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const files = options.files ?? localFolderFileStore(config.files.dir);
  const health: HealthState = { closing: false };
  healthRoutes(app, db, health);
  clientConfigRoutes(app, config);
  const tabsServed = await registerTabs(app, options.tabsDir);
  if (tabsServed) app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/tabs/home'));

  let verifier: TokenVerifier;
  let devIdentity: DevIdentityProvider | undefined;
  if (config.local && config.devSignIn) {
    devIdentity = await createDevIdentityProvider(config.publicUrl);
    verifier = devIdentity;
    devRoutes(app, db, devIdentity, options.localTenantId);
    if (!tabsServed) app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/signin'));
  } else {
    verifier = entraTokenVerifier({
      audiences: config.auth.audiences,
      allowedTenants: config.auth.allowedTenants,
      requiredScope: config.auth.requiredScope,
      authorityHost: config.auth.authorityHost,
      ...(options.entraKeys ? { keys: options.entraKeys } : {}),
    });
    devRoutesRefused(app, config.env === 'production' ? 'the server runs in production mode' : 'a tenant is configured');
  }

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const authenticate = authenticator(db, rememberingVerifier(verifier));
  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate);
      registerIdempotency(api, db);
      meRoutes(api);
      adminSyncRoutes(api, db, config, files);
      groupLinkRoutes(api, { db, config });
      photoRoutes(api, { db, files });
      newsRoutes(api, { db });
      communityRoutes(api, { db });
      postRoutes(api, { db });
      attachmentRoutes(api, { db, files, limits: { maxBytes: config.files.maxBytes, maxPerPost: config.files.maxPerPost } });
      governanceRoutes(api, { db });
      feedRoutes(api, { db });
      announcementRoutes(api, { db });
      searchRoutes(api, { db });
      notificationRoutes(api, { db });
      eventsRoutes(api, { db });
      peopleRoutes(api, { db });
      expertRoutes(api, { db });
      recognitionRoutes(api, { db });
      similarRoutes(api, { db });
      meetupRoutes(api, { db });
      insightRoutes(api, { db });
    },
    { prefix: '/api/v1' },
  );

  // The Teams bot's messaging endpoint (POST /api/messages), beside the API.
  await mountBot(app, { db, config, logger, localTenantId: options.localTenantId });

  return { app, health, ...(devIdentity ? { devIdentity } : {}) };
}

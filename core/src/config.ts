import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RucheError } from './errors.js';

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every environment variable Ruche reads; README.md documents each one. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  RUCHE_DATA_DIR: z.string().min(1).default('.ruche/data'),
  RUCHE_DEMO: z.enum(['auto', 'off']).default('auto'),
  RUCHE_DEV_SIGNIN: z.enum(['auto', 'on', 'off']).default('auto'),
  RUCHE_DEMO_PEOPLE: z.coerce.number().int().min(40).max(50000).default(300),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: csv,
  ENTRA_CLIENT_ID: z.string().regex(guid, 'must be a GUID (the API app registration client id)').optional(),
  ENTRA_APP_ID_URI: z.string().min(1).optional(),
  ENTRA_ALLOWED_TENANTS: csv.pipe(z.array(z.string().regex(guid, 'must be a comma-separated list of tenant GUIDs'))),
  ENTRA_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
  ENTRA_REQUIRED_SCOPE: z.string().min(1).default('access_as_user'),
  ENTRA_EXTRA_AUDIENCES: csv,
  TEAMS_APP_ID: z.string().regex(guid, 'must be a GUID (the id of the Teams app package, for deep links)').optional(),
  GRAPH_TENANT_ID: z.string().regex(guid, 'must be a GUID (the Entra tenant id directory sync reads)').optional(),
  GRAPH_CLIENT_ID: z.string().regex(guid, 'must be a GUID (the client id of the app registration with Graph permissions)').optional(),
  GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  GRAPH_CERTIFICATE_PATH: z.string().min(1).optional(),
  GRAPH_CERTIFICATE_THUMBPRINT: z.string().regex(/^[0-9a-f]{64}$/i, 'must be the SHA-256 thumbprint of the certificate (64 hex digits)').optional(),
  GRAPH_MANAGED_IDENTITY: z.enum(['off', 'system', 'user']).default('off'),
  GRAPH_BASE_URL: z.url().optional(),
  GRAPH_ACCESS_TOKEN: z.string().min(1).optional(),
  GRAPH_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  SHAREPOINT_NEWS_SITES: csv,
  RUCHE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  RUCHE_FILES_DIR: z.string().min(1).default('.ruche/files'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  ATTACHMENTS_PER_POST: z.coerce.number().int().min(1).max(50).default(10),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().regex(/InstrumentationKey=|IngestionEndpoint=/i, 'must be the connection string of an Application Insights resource').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  BOT_APP_ID: z.string().regex(guid, 'must be a GUID (the Microsoft App ID of the Azure Bot)').optional(),
  BOT_APP_SECRET: z.string().min(1).optional(),
  BOT_TENANT_ID: z.string().regex(guid, 'must be a GUID (the tenant of a single-tenant bot registration)').optional(),
  BOT_MANAGED_IDENTITY_CLIENT_ID: z.string().regex(/^(system|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, "must be 'system' or a GUID").optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  /** Local mode: no tenant configured and not production. Enables the development sign-in. */
  local: boolean;
  port: number;
  host: string;
  publicUrl: string;
  logLevel: string;
  database: { kind: 'postgres'; url: string; poolMax: number } | { kind: 'pglite'; dataDir: string };
  demo: { enabled: boolean; people: number };
  /** The development identity provider ("sign in as" a demo person); local mode only. */
  devSignIn: boolean;
  bodyLimitBytes: number;
  /** Attachments: the local folder of the embedded file store, and the limits. */
  files: { dir: string; maxBytes: number; maxPerPost: number };
  corsOrigins: string[];
  auth: {
    clientId?: string;
    audiences: string[];
    allowedTenants: string[];
    authorityHost: string;
    requiredScope: string;
    /** The API's App ID URI (ENTRA_APP_ID_URI): the tabs ask for `<appIdUri>/<requiredScope>`. */
    appIdUri?: string;
  };
  /** The Teams app id (TEAMS_APP_ID): the tabs' deep links open this app. */
  teamsAppId?: string;
  /** Microsoft Graph for directory sync (`ruche sync`, the admin API); absent when not configured. */
  graph?: GraphConfig;
  /** `all`: API and background jobs in one process; `api`: no job processing; `worker`: jobs only. */
  role: 'all' | 'api' | 'worker';
  /** The Teams bot at POST /api/messages; absent outside local mode when no bot is registered. */
  bot?: BotConfig;
  /**
   * OpenTelemetry: traces and metrics to Application Insights when its connection string is
   * set; a Prometheus metrics endpoint (GET /metrics) on its own port when METRICS_PORT is set.
   */
  telemetry: { applicationInsightsConnectionString?: string; prometheus?: { port: number; host: string } };
}

export interface BotConfig {
  /** The Microsoft App ID; absent in local mode without a registration. */
  appId?: string;
  tenantId?: string;
  /** How the bot gets its tokens: a client secret, or a managed identity (the app id itself, 'system' or a federated one). */
  credential:
    | { kind: 'none' }
    | { kind: 'secret'; secret: string }
    | { kind: 'managed-identity'; managedIdentityClientId?: string };
  /** Accepts activities without a Bot Framework token: local mode without a registration only. */
  allowUnauthenticated: boolean;
}

export interface GraphConfig {
  tenantId: string;
  /** Graph root without version; the Graph simulator's URL in tests. */
  baseUrl: string;
  maxConcurrency: number;
  /** SharePoint site ids whose news posts are shown in Ruche (SHAREPOINT_NEWS_SITES, comma-separated). */
  newsSites: string[];
  credential:
    | { kind: 'secret'; clientId: string; clientSecret: string }
    | { kind: 'certificate'; clientId: string; certificatePath: string; thumbprintSha256: string }
    | { kind: 'managed-identity'; clientId?: string }
    | { kind: 'static-token'; token: string };
}

function problemList(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`).join('; ');
}

/**
 * Reads and validates the configuration. Fails with a message that names each bad
 * variable and what is wrong with it.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new RucheError('CONFIG_INVALID', `Invalid configuration: ${problemList(parsed.error)}`, {
      details: { issues: parsed.error.issues.map((i) => ({ variable: i.path.join('.'), message: i.message })) },
    });
  }
  const e = parsed.data;
  const tenantConfigured = e.ENTRA_ALLOWED_TENANTS.length > 0 || e.ENTRA_CLIENT_ID !== undefined;
  const local = !tenantConfigured && e.NODE_ENV !== 'production';

  if (!local) {
    const missing: string[] = [];
    if (!e.ENTRA_CLIENT_ID) missing.push('ENTRA_CLIENT_ID: required outside local mode (the API app registration client id)');
    if (e.ENTRA_ALLOWED_TENANTS.length === 0)
      missing.push('ENTRA_ALLOWED_TENANTS: required outside local mode (comma-separated tenant ids)');
    if (e.NODE_ENV === 'production' && !e.DATABASE_URL)
      missing.push('DATABASE_URL: required in production (the embedded database is for local use)');
    if (missing.length > 0) {
      throw new RucheError('CONFIG_INVALID', `Invalid configuration: ${missing.join('; ')}`, {
        details: { issues: missing.map((m) => ({ variable: m.split(':')[0], message: m.split(': ')[1] })) },
      });
    }
  }

  if (e.RUCHE_DEV_SIGNIN === 'on' && !local) {
    throw new RucheError(
      'CONFIG_INVALID',
      `Invalid configuration: RUCHE_DEV_SIGNIN: local sign-in is refused ${
        e.NODE_ENV === 'production' ? 'when NODE_ENV=production' : 'when a tenant is configured (ENTRA_*)'
      }`,
      { details: { issues: [{ variable: 'RUCHE_DEV_SIGNIN', message: 'local sign-in is refused outside local mode' }] } },
    );
  }

  const host = e.HOST ?? (local ? '127.0.0.1' : '0.0.0.0');
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const audiences = [e.ENTRA_CLIENT_ID, e.ENTRA_APP_ID_URI, ...e.ENTRA_EXTRA_AUDIENCES].filter(
    (a): a is string => typeof a === 'string' && a.length > 0,
  );

  const graph = graphConfig(e);
  const bot = botConfig(e, local);

  if (e.RUCHE_ROLE !== 'all' && !e.DATABASE_URL) {
    throw new RucheError(
      'CONFIG_INVALID',
      `Invalid configuration: RUCHE_ROLE: ${e.RUCHE_ROLE} needs DATABASE_URL (the embedded database belongs to one process, which runs both the API and the jobs)`,
      { details: { issues: [{ variable: 'RUCHE_ROLE', message: 'api and worker need DATABASE_URL' }] } },
    );
  }

  return {
    ...(graph ? { graph } : {}),
    ...(bot ? { bot } : {}),
    env: e.NODE_ENV,
    local,
    port: e.PORT,
    host,
    publicUrl,
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: path.resolve(e.RUCHE_DATA_DIR) },
    demo: { enabled: local && e.RUCHE_DEMO === 'auto', people: e.RUCHE_DEMO_PEOPLE },
    devSignIn: local && e.RUCHE_DEV_SIGNIN !== 'off',
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    files: { dir: path.resolve(e.RUCHE_FILES_DIR), maxBytes: e.ATTACHMENT_MAX_BYTES, maxPerPost: e.ATTACHMENTS_PER_POST },
    corsOrigins: e.CORS_ORIGINS,
    role: e.RUCHE_ROLE,
    telemetry: {
      ...(e.APPLICATIONINSIGHTS_CONNECTION_STRING ? { applicationInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING } : {}),
      ...(e.METRICS_PORT !== undefined ? { prometheus: { port: e.METRICS_PORT, host: e.METRICS_HOST } } : {}),
    },
    auth: {
      ...(e.ENTRA_CLIENT_ID ? { clientId: e.ENTRA_CLIENT_ID } : {}),
      audiences,
      allowedTenants: e.ENTRA_ALLOWED_TENANTS.map((t) => t.toLowerCase()),
      authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/$/, ''),
      requiredScope: e.ENTRA_REQUIRED_SCOPE,
      ...(e.ENTRA_APP_ID_URI ? { appIdUri: e.ENTRA_APP_ID_URI.replace(/\/$/, '') } : {}),
    },
    ...(e.TEAMS_APP_ID ? { teamsAppId: e.TEAMS_APP_ID.toLowerCase() } : {}),
  };
}

function botConfig(e: z.output<typeof envSchema>, local: boolean): BotConfig | undefined {
  const fail = (variable: string, message: string): never => {
    throw new RucheError('CONFIG_INVALID', `Invalid configuration: ${variable}: ${message}`, {
      details: { issues: [{ variable, message }] },
    });
  };
  if (!e.BOT_APP_ID) {
    if (e.BOT_APP_SECRET ?? e.BOT_TENANT_ID ?? e.BOT_MANAGED_IDENTITY_CLIENT_ID) return fail('BOT_APP_ID', 'required when any BOT_* variable is set');
    return local ? { credential: { kind: 'none' }, allowUnauthenticated: true } : undefined;
  }
  if (e.BOT_APP_SECRET && e.BOT_MANAGED_IDENTITY_CLIENT_ID) {
    return fail('BOT_APP_SECRET', 'give either BOT_APP_SECRET or BOT_MANAGED_IDENTITY_CLIENT_ID, not both');
  }
  return {
    appId: e.BOT_APP_ID.toLowerCase(),
    ...(e.BOT_TENANT_ID ? { tenantId: e.BOT_TENANT_ID.toLowerCase() } : {}),
    credential: e.BOT_APP_SECRET
      ? { kind: 'secret', secret: e.BOT_APP_SECRET }
      : { kind: 'managed-identity', ...(e.BOT_MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.BOT_MANAGED_IDENTITY_CLIENT_ID.toLowerCase() } : {}) },
    allowUnauthenticated: false,
  };
}

function graphConfig(e: z.output<typeof envSchema>): GraphConfig | undefined {
  const anyGraph =
    e.GRAPH_CLIENT_ID ?? e.GRAPH_CLIENT_SECRET ?? e.GRAPH_CERTIFICATE_PATH ?? e.GRAPH_ACCESS_TOKEN ?? e.GRAPH_BASE_URL ??
    (e.GRAPH_MANAGED_IDENTITY !== 'off' ? 'mi' : undefined);
  if (!e.GRAPH_TENANT_ID && anyGraph === undefined) return undefined;
  const fail = (variable: string, message: string): never => {
    throw new RucheError('CONFIG_INVALID', `Invalid configuration: ${variable}: ${message}`, {
      details: { issues: [{ variable, message }] },
    });
  };
  if (!e.GRAPH_TENANT_ID) return fail('GRAPH_TENANT_ID', 'required when any GRAPH_* variable is set');
  const tenantId = e.GRAPH_TENANT_ID.toLowerCase();
  const base = { tenantId, baseUrl: (e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com').replace(/\/+$/, ''), maxConcurrency: e.GRAPH_MAX_CONCURRENCY, newsSites: e.SHAREPOINT_NEWS_SITES };
  const kinds = [e.GRAPH_CLIENT_SECRET, e.GRAPH_CERTIFICATE_PATH, e.GRAPH_ACCESS_TOKEN, e.GRAPH_MANAGED_IDENTITY !== 'off' ? 'mi' : undefined].filter(
    (v) => v !== undefined,
  );
  if (kinds.length !== 1) {
    return fail(
      'GRAPH_CLIENT_SECRET',
      'give exactly one credential: GRAPH_CLIENT_SECRET, GRAPH_CERTIFICATE_PATH (+ GRAPH_CERTIFICATE_THUMBPRINT), GRAPH_MANAGED_IDENTITY or GRAPH_ACCESS_TOKEN',
    );
  }
  if (e.GRAPH_ACCESS_TOKEN !== undefined) {
    if (e.NODE_ENV === 'production') return fail('GRAPH_ACCESS_TOKEN', 'a fixed token is for the Graph simulator, refused when NODE_ENV=production');
    return { ...base, credential: { kind: 'static-token', token: e.GRAPH_ACCESS_TOKEN } };
  }
  if (e.GRAPH_MANAGED_IDENTITY !== 'off') {
    if (e.GRAPH_MANAGED_IDENTITY === 'user' && !e.GRAPH_CLIENT_ID) return fail('GRAPH_CLIENT_ID', 'required with GRAPH_MANAGED_IDENTITY=user');
    return { ...base, credential: { kind: 'managed-identity', ...(e.GRAPH_MANAGED_IDENTITY === 'user' ? { clientId: e.GRAPH_CLIENT_ID } : {}) } };
  }
  if (!e.GRAPH_CLIENT_ID) return fail('GRAPH_CLIENT_ID', 'required with GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH');
  if (e.GRAPH_CLIENT_SECRET !== undefined) return { ...base, credential: { kind: 'secret', clientId: e.GRAPH_CLIENT_ID, clientSecret: e.GRAPH_CLIENT_SECRET } };
  if (!e.GRAPH_CERTIFICATE_THUMBPRINT) return fail('GRAPH_CERTIFICATE_THUMBPRINT', 'required with GRAPH_CERTIFICATE_PATH');
  return {
    ...base,
    credential: { kind: 'certificate', clientId: e.GRAPH_CLIENT_ID, certificatePath: e.GRAPH_CERTIFICATE_PATH!, thumbprintSha256: e.GRAPH_CERTIFICATE_THUMBPRINT },
  };
}

/** Loads `.env` from the working directory into process.env when the file exists. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

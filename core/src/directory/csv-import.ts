/**
 * People from an HR export (companies without Microsoft Graph): `ruche import --csv FILE`.
 * The file is streamed through csv-parse; each row is checked on its own. Good rows are
 * stored in batches as they come, bad rows are reported with their line number and reason,
 * and nothing stored before is lost. Managers (manager_upn) are resolved after every row.
 *
 * Format (README.md, "Importing people from a CSV file"): UTF-8 (a BOM is accepted), comma
 * separated, RFC 4180 quoting, a header line naming the columns in any order:
 *   upn (required), display_name (required), given_name, surname, mail, job_title, department,
 *   office, country, preferred_language, manager_upn, account_enabled.
 * A column left out leaves that property unchanged; an empty cell clears it.
 */
import { Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { z } from 'zod';
import { RucheError } from '../errors.js';
import type { Db } from '../store/db.js';
import { PersonField, resolveManagers, writeCsvPeople, type DirectoryPersonRow } from './people-writer.js';
import { syncOrgUnitMemberships } from './org-units.js';

export const csvColumns = [
  'upn',
  'display_name',
  'given_name',
  'surname',
  'mail',
  'job_title',
  'department',
  'office',
  'country',
  'preferred_language',
  'manager_upn',
  'account_enabled',
] as const;

export type CsvColumn = (typeof csvColumns)[number];

const requiredColumns: CsvColumn[] = ['upn', 'display_name'];

const columnBits: Partial<Record<CsvColumn, number>> = {
  display_name: PersonField.displayName,
  given_name: PersonField.givenName,
  surname: PersonField.surname,
  mail: PersonField.mail,
  job_title: PersonField.jobTitle,
  department: PersonField.department,
  office: PersonField.office,
  country: PersonField.country,
  preferred_language: PersonField.preferredLanguage,
  manager_upn: PersonField.manager,
};

const address = z.string().max(320).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not an address like name@example.com');
const optionalText = (max: number) => z.string().max(max, `is longer than ${max} characters`).nullable();

const rowSchema = z.object({
  upn: address,
  display_name: z.string().min(1, 'is required').max(200, 'is longer than 200 characters'),
  given_name: optionalText(100),
  surname: optionalText(100),
  mail: address.nullable(),
  job_title: optionalText(200),
  department: optionalText(200),
  office: optionalText(200),
  country: optionalText(100),
  preferred_language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'is not a language tag like fr-FR')
    .nullable(),
  manager_upn: address.nullable(),
  account_enabled: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['true', 'false', 'yes', 'no', '1', '0'], { message: 'must be true or false' }))
    .nullable(),
});

export interface CsvRowError {
  /** Line of the file (1 = the header). */
  line: number;
  upn?: string;
  reason: string;
}

export interface CsvImportResult {
  /** Good rows stored. */
  imported: number;
  created: number;
  updated: number;
  errors: CsvRowError[];
  /** Columns of the header Ruche does not know (ignored). */
  ignoredColumns: string[];
  /** Rows whose manager_upn names nobody known (their manager is left empty). */
  unresolvedManagers: Array<{ upn: string; managerUpn: string }>;
  managersChanged: number;
}

export interface CsvImportOptions {
  /** Rows stored per statement batch. Default 500. */
  batchSize?: number;
  /** Bad rows listed at most (counting goes on). Default 1000. */
  maxErrors?: number;
  /** The org-unit step run at the end: by default syncOrgUnitMemberships(db, tenantId); false skips it. */
  orgUnitCommunities?: ((db: Db, tenantId: string) => Promise<unknown>) | false;
}

function describe(issues: z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; ');
}

/** Imports people from CSV text or a stream (e.g. fs.createReadStream(file)). */
export async function importPeopleCsv(db: Db, tenantId: string, input: string | Readable, options: CsvImportOptions = {}): Promise<CsvImportResult> {
  const batchSize = options.batchSize ?? 500;
  const maxErrors = options.maxErrors ?? 1000;
  const result: CsvImportResult = { imported: 0, created: 0, updated: 0, errors: [], ignoredColumns: [], unresolvedManagers: [], managersChanged: 0 };
  const report = (error: CsvRowError) => {
    if (result.errors.length < maxErrors) result.errors.push(error);
  };
  await db.query(`insert into tenants (id, name) values ($1, 'Organisation') on conflict (id) do nothing`, [tenantId]);

  let header: string[] | undefined;
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    skip_records_with_error: true,
    columns: (names: string[]) => {
      header = names.map((name) => name.trim().toLowerCase());
      return header;
    },
  });
  parser.on('skip', (error: CsvError) => {
    const line = typeof (error as CsvError & { lines?: number }).lines === 'number' ? (error as CsvError & { lines: number }).lines : 0;
    report({ line, reason: error.message.replace(/^Invalid Record Length: /, '') });
  });
  const source = typeof input === 'string' ? Readable.from([input]) : input;
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  const seen = new Set<string>();
  let batch: DirectoryPersonRow[] = [];
  let known: Set<string> | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const written = await db.transaction((tx) => writeCsvPeople(tx, tenantId, rows));
    result.imported += rows.length;
    result.created += written.inserted;
    result.updated += written.updated;
  };

  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
    if (!known) {
      const columns = header ?? [];
      const missing = requiredColumns.filter((column) => !columns.includes(column));
      if (missing.length > 0) {
        parser.destroy();
        throw new RucheError('CSV_INVALID', `The header line lacks the column(s) ${missing.join(', ')} (columns: ${csvColumns.join(', ')})`, {
          details: { line: 1, missing },
        });
      }
      known = new Set(columns.filter((column) => (csvColumns as readonly string[]).includes(column)));
      result.ignoredColumns = columns.filter((column) => !known!.has(column));
    }
    const line = item.info.lines;
    const raw: Record<string, string | null> = {};
    for (const column of csvColumns) {
      const value = item.record[column];
      raw[column] = value === undefined || value === '' ? null : value;
    }
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      report({ line, ...(raw.upn ? { upn: raw.upn } : {}), reason: describe(parsed.error.issues) });
      continue;
    }
    const row = parsed.data;
    const upnKey = row.upn.toLowerCase();
    if (seen.has(upnKey)) {
      report({ line, upn: row.upn, reason: 'upn appears on an earlier line of the file' });
      continue;
    }
    if (row.manager_upn && row.manager_upn.toLowerCase() === upnKey) {
      report({ line, upn: row.upn, reason: 'manager_upn names the person themself' });
      continue;
    }
    seen.add(upnKey);
    let mask = PersonField.upn;
    for (const [column, bit] of Object.entries(columnBits)) if (known.has(column)) mask |= bit;
    batch.push({
      entraOid: null,
      mask,
      removed: false,
      former: row.account_enabled === null || !known.has('account_enabled') ? null : !['true', 'yes', '1'].includes(row.account_enabled),
      upn: row.upn,
      mail: row.mail,
      displayName: row.display_name,
      givenName: row.given_name,
      surname: row.surname,
      jobTitle: row.job_title,
      department: row.department,
      office: row.office,
      country: row.country,
      preferredLanguage: row.preferred_language,
      managerRef: row.manager_upn,
    });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (!known && header === undefined) throw new RucheError('CSV_INVALID', 'The file is empty: a header line is required', { details: { line: 1 } });

  result.errors.sort((a, b) => a.line - b.line);
  result.managersChanged = await resolveManagers(db, tenantId, 'csv');
  const unresolved = await db.query<{ upn: string; manager_upn: string }>(
    `select p.upn, p.manager_upn from people p
     where p.tenant_id = $1 and p.directory_source = 'csv' and p.manager_upn is not null and p.manager_id is null
     order by p.upn limit 1000`,
    [tenantId],
  );
  result.unresolvedManagers = unresolved.rows.map((r) => ({ upn: r.upn, managerUpn: r.manager_upn }));
  const orgUnits = options.orgUnitCommunities ?? syncOrgUnitMemberships;
  if (orgUnits) await orgUnits(db, tenantId);
  return result;
}

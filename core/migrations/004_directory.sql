-- Directory sync (Microsoft Graph delta) and HR CSV import.

-- One row per tenant and directory resource: where the last completed delta round ended
-- (delta_link), where the round in progress stands (next_link: the page to fetch next, saved
-- only once every earlier page is stored), and the progress the admin API and the CLI show.
create table directory_sync_state (
  tenant_id            uuid not null references tenants (id) on delete cascade,
  resource             text not null check (resource in ('users', 'groups')),
  delta_link           text,
  next_link            text,
  -- The round was fetched entirely; the finishing steps (managers, org units) remain.
  pending_delta_link   text,
  status               text not null default 'idle' check (status in ('idle', 'running', 'completed', 'failed')),
  run_id               uuid,
  -- A running sync renews its lease at every page; an expired lease means the process died.
  lease_until          timestamptz,
  round_kind           text check (round_kind in ('full', 'incremental')),
  started_at           timestamptz,
  updated_at           timestamptz not null default now(),
  finished_at          timestamptz,
  pages                integer not null default 0,
  done                 integer not null default 0,
  total                integer,
  former               integer not null default 0,
  per_second           double precision,
  last_error           text,
  last_completed_at    timestamptz,
  last_full_count      integer,
  primary key (tenant_id, resource)
);

-- The manager as the source reports it, resolved to manager_id once every person exists:
-- the Entra object id (Graph) or the user principal name (CSV import).
alter table people add column manager_entra_oid uuid;
alter table people add column manager_upn text;
-- Where the directory data of a person comes from: 'graph', 'csv', or null (created in Ruche).
alter table people add column directory_source text check (directory_source in ('graph', 'csv'));
-- When the directory removed the person (deleted user): they stay as a former employee, and
-- nobody's manager any more.
alter table people add column directory_removed_at timestamptz;

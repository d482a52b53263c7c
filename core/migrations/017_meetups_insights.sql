-- Meetups (opt-in pairing rounds across the organisation, with a "did you meet?" follow-up),
-- people's insight opt-out (never named as a connector), and the digest of similar work
-- sent to community managers. Tenant-wide meetup settings (cadence, rounds without repeating
-- a pair) live in tenants.settings -> 'meetups'.

create table meetup_preferences (
  tenant_id     uuid not null,
  person_id     uuid not null,
  enabled       boolean not null default false,
  -- No pairing in rounds starting on or before this day.
  snooze_until  date,
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, person_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index meetup_preferences_enabled on meetup_preferences (tenant_id) where enabled;

create table meetup_rounds (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null default gen_random_uuid(),
  -- The first day (a Monday, UTC) of the period the round covers; one round per period.
  starts_on   date not null,
  cadence     text not null check (cadence in ('weekly', 'biweekly')),
  opted_in    integer not null default 0,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, starts_on)
);

create table meetup_matches (
  tenant_id   uuid not null,
  id          uuid not null default gen_random_uuid(),
  round_id    uuid not null,
  -- The two people, person_a < person_b.
  person_a    uuid not null,
  person_b    uuid not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, round_id, person_a, person_b),
  check (person_a < person_b),
  foreign key (tenant_id, round_id) references meetup_rounds (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_a) references people (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_b) references people (tenant_id, id) on delete cascade
);
create index meetup_matches_a on meetup_matches (tenant_id, person_a, created_at desc);
create index meetup_matches_b on meetup_matches (tenant_id, person_b, created_at desc);

create table meetup_outcomes (
  tenant_id    uuid not null,
  match_id     uuid not null,
  person_id    uuid not null,
  outcome      text not null check (outcome in ('met', 'skipped')),
  recorded_at  timestamptz not null default now(),
  primary key (tenant_id, match_id, person_id),
  foreign key (tenant_id, match_id) references meetup_matches (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

create table insight_preferences (
  tenant_id   uuid not null,
  person_id   uuid not null,
  -- Never named in insights (connectors across departments).
  opted_out   boolean not null default false,
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, person_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

-- One digest of similar work per community manager and period (the job is idempotent).
create table similar_work_digests (
  tenant_id   uuid not null,
  person_id   uuid not null,
  period      text not null,
  pairs       integer not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, person_id, period),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

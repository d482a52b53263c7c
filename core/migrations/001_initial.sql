-- Ruche: the first schema. Every table carries tenant_id (the Entra tenant id) first in
-- its primary key, so every query is scoped by tenant and the tenant can later be the
-- distribution column of a sharded PostgreSQL.

create extension if not exists pg_trgm with schema public;
create extension if not exists unaccent with schema public;

-- One text search configuration for French and English alike: simple tokens, accents
-- removed. to_tsvector('ruche', ...) with an explicit configuration is immutable, so it
-- can feed generated columns and indexes.
-- It lives in public beside the extensions, whichever schema the tables go to.
do $$
begin
  if not exists (
    select 1 from pg_ts_config c join pg_namespace n on n.oid = c.cfgnamespace
    where c.cfgname = 'ruche' and n.nspname = 'public'
  ) then
    create text search configuration public.ruche (copy = pg_catalog.simple);
    alter text search configuration public.ruche
      alter mapping for hword, hword_part, word with public.unaccent, pg_catalog.simple;
  end if;
end
$$;

-- Accent- and case-insensitive form of a name, for trigram search. unaccent() is only
-- stable, so this wrapper pins the dictionary to make it usable in an index.
create or replace function ruche_fold(t text) returns text
  language sql immutable parallel safe strict
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

create table tenants (
  id          uuid primary key,
  name        text not null,
  domain      text,
  settings    jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now()
);

create table people (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null default gen_random_uuid(),
  entra_oid           uuid,
  upn                 text not null,
  mail                text,
  display_name        text not null,
  given_name          text,
  surname             text,
  job_title           text,
  department          text,
  office              text,
  country             text,
  preferred_language  text,
  manager_id          uuid,
  biography           text,
  photo_ref           text,
  roles               text[] not null default '{}',
  is_former_employee  boolean not null default false,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, manager_id) references people (tenant_id, id) on delete set null (manager_id)
);
create unique index people_entra_oid on people (tenant_id, entra_oid) where entra_oid is not null;
create unique index people_upn on people (tenant_id, lower(upn));
create index people_manager on people (tenant_id, manager_id);
create index people_department on people (tenant_id, department);
create index people_name_trgm on people using gin (ruche_fold(display_name) gin_trgm_ops);

create table person_skills (
  tenant_id    uuid not null,
  person_id    uuid not null,
  skill        text not null,
  source       text not null check (source in ('declared', 'directory', 'inferred')),
  proficiency  text,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, person_id, skill, source),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index person_skills_trgm on person_skills using gin (ruche_fold(skill) gin_trgm_ops);

create table communities (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null default gen_random_uuid(),
  slug                text not null,
  name                text not null,
  description         text not null default '',
  kind                text not null check (kind in ('org_unit', 'interest', 'profession', 'project')),
  visibility          text not null check (visibility in ('public', 'private', 'secret')),
  is_official         boolean not null default false,
  restricted_posting  boolean not null default false,
  -- For org-unit communities: {"department": "..."} or {"managerId": "...", "subtree": true}.
  org_unit            jsonb,
  linked_group_id     text,
  created_by          uuid,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  archived_at         timestamptz,
  search              tsvector generated always as (
                        setweight(to_tsvector('ruche', name), 'A') ||
                        setweight(to_tsvector('ruche', description), 'B')) stored,
  primary key (tenant_id, id),
  foreign key (tenant_id, created_by) references people (tenant_id, id) on delete set null (created_by)
);
create unique index communities_slug on communities (tenant_id, slug);
create index communities_search on communities using gin (search);
create index communities_name_trgm on communities using gin (ruche_fold(name) gin_trgm_ops);

create table memberships (
  tenant_id     uuid not null,
  community_id  uuid not null,
  person_id     uuid not null,
  role          text not null default 'member' check (role in ('owner', 'moderator', 'expert', 'member')),
  state         text not null default 'active' check (state in ('active', 'requested', 'invited', 'banned')),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, community_id, person_id),
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index memberships_person on memberships (tenant_id, person_id, state);

create table posts (
  tenant_id      uuid not null,
  id             uuid not null default gen_random_uuid(),
  community_id   uuid,
  author_id      uuid not null,
  kind           text not null check (kind in ('discussion', 'question', 'announcement', 'idea', 'poll', 'event')),
  title          text not null default '',
  body           text not null default '',
  body_html      text not null default '',
  -- Kind-specific data: poll options, event time and place, idea status, announcement targets.
  data           jsonb not null default '{}'::jsonb,
  accepted_comment_id uuid,
  is_must_read   boolean not null default false,
  version        integer not null default 1,
  pinned_until   timestamptz,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  last_activity_at timestamptz not null default now(),
  hidden_at      timestamptz,
  deleted_at     timestamptz,
  search         tsvector generated always as (
                   setweight(to_tsvector('ruche', title), 'A') ||
                   setweight(to_tsvector('ruche', body), 'B')) stored,
  primary key (tenant_id, id),
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade,
  foreign key (tenant_id, author_id) references people (tenant_id, id)
);
-- The home feed reads each followed community with one index scan (keyset, newest first).
create index posts_community_feed on posts (tenant_id, community_id, created_at desc, id desc)
  where deleted_at is null;
create index posts_author_feed on posts (tenant_id, author_id, created_at desc, id desc)
  where deleted_at is null;
create index posts_kind on posts (tenant_id, kind, created_at desc) where deleted_at is null;
create index posts_search on posts using gin (search);

create table comments (
  tenant_id   uuid not null,
  id          uuid not null default gen_random_uuid(),
  post_id     uuid not null,
  parent_id   uuid,
  author_id   uuid not null,
  body        text not null,
  body_html   text not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  hidden_at   timestamptz,
  deleted_at  timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, parent_id) references comments (tenant_id, id) on delete cascade,
  foreign key (tenant_id, author_id) references people (tenant_id, id)
);
create index comments_post on comments (tenant_id, post_id, created_at, id);
create index comments_author on comments (tenant_id, author_id, created_at desc);

alter table posts add foreign key (tenant_id, accepted_comment_id)
  references comments (tenant_id, id) on delete set null (accepted_comment_id);

create table reactions (
  tenant_id    uuid not null,
  target_type  text not null check (target_type in ('post', 'comment')),
  target_id    uuid not null,
  person_id    uuid not null,
  kind         text not null check (kind in ('like', 'celebrate', 'love', 'insightful', 'funny', 'support')),
  created_at   timestamptz not null default now(),
  primary key (tenant_id, target_type, target_id, person_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index reactions_person on reactions (tenant_id, person_id, created_at desc);

create table mentions (
  tenant_id       uuid not null,
  source_type     text not null check (source_type in ('post', 'comment', 'kudos')),
  source_id       uuid not null,
  mentioned_type  text not null check (mentioned_type in ('person', 'community')),
  mentioned_id    uuid not null,
  created_at      timestamptz not null default now(),
  primary key (tenant_id, source_type, source_id, mentioned_type, mentioned_id)
);
create index mentions_target on mentions (tenant_id, mentioned_type, mentioned_id, created_at desc);

create table topics (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null default gen_random_uuid(),
  slug        text not null,
  name        text not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index topics_slug on topics (tenant_id, slug);
create index topics_name_trgm on topics using gin (ruche_fold(name) gin_trgm_ops);

create table post_topics (
  tenant_id  uuid not null,
  post_id    uuid not null,
  topic_id   uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, post_id, topic_id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, topic_id) references topics (tenant_id, id) on delete cascade
);
create index post_topics_topic on post_topics (tenant_id, topic_id, created_at desc, post_id);

create table follows (
  tenant_id    uuid not null,
  follower_id  uuid not null,
  target_type  text not null check (target_type in ('person', 'topic', 'community')),
  target_id    uuid not null,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, follower_id, target_type, target_id),
  foreign key (tenant_id, follower_id) references people (tenant_id, id) on delete cascade
);
create index follows_target on follows (tenant_id, target_type, target_id);

create table acknowledgements (
  tenant_id        uuid not null,
  post_id          uuid not null,
  person_id        uuid not null,
  version          integer not null,
  acknowledged_at  timestamptz not null default now(),
  primary key (tenant_id, post_id, person_id, version),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

create table kudos (
  tenant_id     uuid not null,
  id            uuid not null default gen_random_uuid(),
  giver_id      uuid not null,
  value_key     text,
  message       text not null,
  visibility    text not null check (visibility in ('public', 'community', 'private')),
  community_id  uuid,
  created_at    timestamptz not null default now(),
  deleted_at    timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, giver_id) references people (tenant_id, id),
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade
);
create index kudos_created on kudos (tenant_id, created_at desc, id desc);
create index kudos_giver on kudos (tenant_id, giver_id, created_at desc);

create table kudos_recipients (
  tenant_id     uuid not null,
  kudos_id      uuid not null,
  recipient_id  uuid not null,
  primary key (tenant_id, kudos_id, recipient_id),
  foreign key (tenant_id, kudos_id) references kudos (tenant_id, id) on delete cascade,
  foreign key (tenant_id, recipient_id) references people (tenant_id, id) on delete cascade
);
create index kudos_recipients_person on kudos_recipients (tenant_id, recipient_id);

create table endorsements (
  tenant_id    uuid not null,
  person_id    uuid not null,
  skill        text not null,
  endorser_id  uuid not null,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, person_id, skill, endorser_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade,
  foreign key (tenant_id, endorser_id) references people (tenant_id, id) on delete cascade,
  check (person_id <> endorser_id)
);

create table notifications (
  tenant_id   uuid not null,
  id          uuid not null default gen_random_uuid(),
  person_id   uuid not null,
  kind        text not null,
  -- Notifications with the same group key are shown as one ("5 people reacted").
  group_key   text,
  data        jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now(),
  read_at     timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index notifications_person on notifications (tenant_id, person_id, created_at desc, id desc);
create index notifications_unread on notifications (tenant_id, person_id) where read_at is null;

create table audit_log (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           bigint generated always as identity,
  actor_id     uuid,
  action       text not null,
  target_type  text,
  target_id    text,
  data         jsonb not null default '{}'::jsonb,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index audit_log_created on audit_log (tenant_id, created_at desc);

create table idempotency_keys (
  tenant_id     uuid not null,
  person_id     uuid not null,
  key           text not null,
  request_hash  text not null,
  status        integer,
  response      jsonb,
  created_at    timestamptz not null default now(),
  primary key (tenant_id, person_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

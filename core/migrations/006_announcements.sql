-- Must-read announcements: targets, the acknowledgement version, views, requests and reminders.
-- An announcement is a post of kind 'announcement' (posts.is_must_read says whether it asks
-- for acknowledgement). Every table carries tenant_id first.

-- One row per announcement published through the announcements module.
-- ack_version is the version people acknowledge (acknowledgements.version): it starts at 1
-- and grows only with a MATERIAL edit, whereas posts.version counts every edit (history).
create table announcements (
  tenant_id      uuid not null,
  post_id        uuid not null,
  ack_version    integer not null default 1,
  -- When the current acknowledgement version began (publication or the last material edit).
  version_at     timestamptz not null default now(),
  -- Remind those who have not acknowledged every `reminder_days` days, at most `max_reminders` times per version.
  reminder_days  integer not null default 3 check (reminder_days between 1 and 365),
  max_reminders  integer not null default 3 check (max_reminders between 0 and 20),
  primary key (tenant_id, post_id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade
);

-- Whom an announcement is for. The audience is resolved from the directory and memberships
-- whenever it is needed, so that it stays current (a newcomer to a target is asked too):
--   organisation: every current employee;
--   department:   people whose people.department equals `department` exactly;
--   manager:      the manager and their direct reports, or (subtree) their whole subtree;
--   community:    the active members of the community.
create table announcement_targets (
  tenant_id     uuid not null,
  post_id       uuid not null,
  position      integer not null,
  kind          text not null check (kind in ('organisation', 'department', 'manager', 'community')),
  department    text,
  manager_id    uuid,
  subtree       boolean not null default false,
  community_id  uuid,
  primary key (tenant_id, post_id, position),
  foreign key (tenant_id, post_id) references announcements (tenant_id, post_id) on delete cascade,
  foreign key (tenant_id, manager_id) references people (tenant_id, id) on delete cascade,
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade,
  check ((kind = 'department') = (department is not null)),
  check ((kind = 'manager') = (manager_id is not null)),
  check ((kind = 'community') = (community_id is not null))
);
create index announcement_targets_department on announcement_targets (tenant_id, department) where kind = 'department';
create index announcement_targets_manager on announcement_targets (tenant_id, manager_id) where kind = 'manager';
create index announcement_targets_community on announcement_targets (tenant_id, community_id) where kind = 'community';
create index announcement_targets_organisation on announcement_targets (tenant_id) where kind = 'organisation';

-- Who opened an announcement (reach: "read").
create table announcement_views (
  tenant_id        uuid not null,
  post_id          uuid not null,
  person_id        uuid not null,
  first_viewed_at  timestamptz not null default now(),
  last_viewed_at   timestamptz not null default now(),
  primary key (tenant_id, post_id, person_id),
  foreign key (tenant_id, post_id) references announcements (tenant_id, post_id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

-- Each person of the audience is asked once per acknowledgement version; reminders count
-- from asked_at (so that a newcomer gets their N days too). `reminders` is how many were
-- sent for that version: a reminder is due when now >= asked_at + (reminders + 1) x N days.
create table announcement_requests (
  tenant_id         uuid not null,
  post_id           uuid not null,
  person_id         uuid not null,
  version           integer not null,
  asked_at          timestamptz not null,
  reminders         integer not null default 0,
  last_reminded_at  timestamptz,
  primary key (tenant_id, post_id, person_id, version),
  foreign key (tenant_id, post_id) references announcements (tenant_id, post_id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index announcement_requests_person on announcement_requests (tenant_id, person_id);

-- The material-edit rule, enforced whatever path edits the post (the announcements API or
-- the generic PATCH /posts/:id): a change of title or body beyond whitespace (runs of
-- spaces, tabs and line breaks count as one; leading and trailing ones are ignored) starts
-- a new acknowledgement version.
create or replace function ruche_announcement_text(title text, body text) returns text
  language sql immutable parallel safe
  as $$ select btrim(regexp_replace(coalesce(title, ''), '[[:space:]]+', ' ', 'g')) || E'\n'
            || btrim(regexp_replace(coalesce(body, ''), '[[:space:]]+', ' ', 'g')) $$;

create or replace function ruche_announcement_material_edit() returns trigger
  language plpgsql as $$
begin
  if ruche_announcement_text(old.title, old.body) is distinct from ruche_announcement_text(new.title, new.body) then
    update announcements set ack_version = ack_version + 1, version_at = now()
     where tenant_id = new.tenant_id and post_id = new.id;
  end if;
  return new;
end
$$;

create trigger posts_announcement_material_edit
  after update of title, body on posts
  for each row when (old.kind = 'announcement')
  execute function ruche_announcement_material_edit();

-- Notifications: grouping, channels and per-person settings.

-- A grouped notification (e.g. reactions to one item) is one row per person, kind, group
-- key and day: later facts update it in place (count, last actors, unread again) rather
-- than adding rows. `channels` are where it is to be delivered ('in_app' now; 'teams' later).
alter table notifications
  add column group_day   date,
  add column actor_ids   uuid[] not null default '{}',
  add column count       integer not null default 1,
  add column channels    text[] not null default '{in_app}',
  add column updated_at  timestamptz not null default now();

create unique index notifications_group on notifications (tenant_id, person_id, kind, group_key, group_day);
create index notifications_recent on notifications (tenant_id, person_id, updated_at desc, id desc);

-- Per-person settings: one row per kind and channel that differs from the default (on).
create table notification_settings (
  tenant_id   uuid not null,
  person_id   uuid not null,
  kind        text not null,
  channel     text not null default 'in_app',
  enabled     boolean not null,
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, person_id, kind, channel),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

-- Teams activity-feed delivery: the tenants where it is on, and a delivery outbox.
--
-- A notification of a kind that has a Teams activity type (mention, kudos, acknowledgement
-- request or reminder, meetup match), created for a person who has an Entra object id and
-- has not turned the 'teams' channel off, gets one outbox row in the same transaction (the
-- trigger below, whatever code path created the notification). A job drains the outbox of
-- each tenant in id order (core/src/teams/delivery.ts): it claims rows with a lease, sends,
-- and marks each row sent right after its send. The row id is the chainId of the activity,
-- so a resend after a crash replaces the first one in the person's feed.

-- Tenants where Graph is configured for Teams delivery (written by the worker at start).
create table teams_delivery_tenants (
  tenant_id     uuid primary key references tenants (id) on delete cascade,
  -- The Teams app id (manifest `id`), for deep links and `teamsAppId` of text topics.
  teams_app_id  text,
  enabled_at    timestamptz not null default now()
);

create table teams_outbox (
  tenant_id        uuid not null,
  id               bigint generated always as identity,
  notification_id  uuid not null,
  person_id        uuid not null,
  entra_oid        uuid not null,
  kind             text not null,
  state            text not null default 'pending' check (state in ('pending', 'sent', 'failed', 'skipped')),
  attempts         integer not null default 0,
  -- A drain holds the row while lease_until is in the future; an expired lease is taken over.
  lease_owner      uuid,
  lease_until      timestamptz,
  created_at       timestamptz not null default now(),
  sent_at          timestamptz,
  last_error       text,
  primary key (tenant_id, id),
  foreign key (tenant_id, notification_id) references notifications (tenant_id, id) on delete cascade
);
create unique index teams_outbox_notification on teams_outbox (tenant_id, notification_id);
create index teams_outbox_pending on teams_outbox (tenant_id, id) where state = 'pending';

-- Per-person switch: notification_settings rows with channel 'teams' (kind '*' = every kind).
create or replace function ruche_teams_outbox_enqueue() returns trigger
  language plpgsql as $$
begin
  if new.kind not in ('mention', 'kudos_received', 'acknowledgement_requested', 'acknowledgement_reminder', 'meetup_matched') then
    return null;
  end if;
  if not exists (select 1 from teams_delivery_tenants t where t.tenant_id = new.tenant_id) then
    return null;
  end if;
  insert into teams_outbox (tenant_id, notification_id, person_id, entra_oid, kind)
  select new.tenant_id, new.id, new.person_id, p.entra_oid, new.kind
    from people p
   where p.tenant_id = new.tenant_id and p.id = new.person_id
     and p.entra_oid is not null and not p.is_former_employee
     and not exists (
       select 1 from notification_settings s
        where s.tenant_id = new.tenant_id and s.person_id = new.person_id
          and s.channel = 'teams' and s.kind in (new.kind, '*') and not s.enabled)
  on conflict do nothing;
  if found then
    perform pg_notify('ruche_teams_outbox', new.tenant_id::text);
  end if;
  return null;
end
$$;

create trigger notifications_teams_outbox after insert on notifications
  for each row execute function ruche_teams_outbox_enqueue();

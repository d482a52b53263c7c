-- The Teams bot: conversation references (where the bot may write proactively) and the
-- outbox of proactive messages.
--
-- A conversation reference is saved when the app is installed for a person, in a team or in
-- a group chat (conversationUpdate / installationUpdate) and refreshed by every message; it
-- is removed when the app is uninstalled or when the Bot Connector says the conversation is
-- gone (403/404 on a send).
create table bot_conversations (
  tenant_id          uuid not null references tenants (id) on delete cascade,
  conversation_id    text not null,
  conversation_type  text not null check (conversation_type in ('personal', 'channel', 'groupChat')),
  -- The person of a personal conversation (or who installed the app in a team / group chat).
  person_id          uuid,
  entra_oid          uuid,
  service_url        text not null,
  bot_id             text not null,
  team_id            text,
  channel_id         text,
  -- The Entra tenant of the conversation (channelData.tenant.id), as Teams gives it.
  tenant_entra_id    text,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (tenant_id, conversation_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
-- One personal conversation per person and bot (Teams keeps it across reinstalls).
create unique index bot_conversations_personal on bot_conversations (tenant_id, person_id)
  where conversation_type = 'personal' and person_id is not null;
create index bot_conversations_team on bot_conversations (tenant_id, team_id) where team_id is not null;

-- Proactive messages to a person's personal conversation with the bot. Rows for notifications
-- come from the trigger below (same transaction as the notification); weekly digests are
-- queued by a job, one per person and week (unique index). A job drains a tenant's rows in
-- id order (core/src/bot/proactive.ts): claim with a lease, send, record right after the
-- send. The row id is the stable id of the activity across attempts.
create table bot_outbox (
  tenant_id        uuid not null,
  id               bigint generated always as identity,
  person_id        uuid not null,
  kind             text not null,
  notification_id  uuid,
  -- Monday (UTC) of the week a digest is about.
  digest_week      date,
  -- What a digest says (computed when it is queued); notifications are read at send time.
  payload          jsonb not null default '{}'::jsonb,
  state            text not null default 'pending' check (state in ('pending', 'sent', 'failed', 'skipped')),
  attempts         integer not null default 0,
  lease_owner      uuid,
  lease_until      timestamptz,
  created_at       timestamptz not null default now(),
  sent_at          timestamptz,
  -- The id the Bot Connector gave the sent activity.
  activity_id      text,
  last_error       text,
  primary key (tenant_id, id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade,
  foreign key (tenant_id, notification_id) references notifications (tenant_id, id) on delete cascade,
  check ((kind = 'digest') = (digest_week is not null))
);
create unique index bot_outbox_notification on bot_outbox (tenant_id, notification_id) where notification_id is not null;
create unique index bot_outbox_digest on bot_outbox (tenant_id, person_id, digest_week) where digest_week is not null;
create index bot_outbox_pending on bot_outbox (tenant_id, id) where state = 'pending';

-- Per-person switch: notification_settings rows with channel 'bot' (kind '*' = every kind,
-- 'digest' = the weekly digest).
create or replace function ruche_bot_outbox_enqueue() returns trigger
  language plpgsql as $$
begin
  if new.kind not in ('mention', 'kudos_received', 'acknowledgement_reminder', 'meetup_matched') then
    return null;
  end if;
  insert into bot_outbox (tenant_id, person_id, kind, notification_id)
  select new.tenant_id, new.person_id, new.kind, new.id
    from people p
   where p.tenant_id = new.tenant_id and p.id = new.person_id and not p.is_former_employee
     -- A personal conversation of the person (or saved before the directory knew them, by Entra id).
     and exists (
       select 1 from bot_conversations c
        where c.tenant_id = p.tenant_id and c.conversation_type = 'personal'
          and (c.person_id = p.id or (c.person_id is null and c.entra_oid = p.entra_oid)))
     and not exists (
       select 1 from notification_settings s
        where s.tenant_id = new.tenant_id and s.person_id = new.person_id
          and s.channel = 'bot' and s.kind in (new.kind, '*') and not s.enabled)
  on conflict do nothing;
  if found then
    perform pg_notify('ruche_bot_outbox', new.tenant_id::text);
  end if;
  return null;
end
$$;

create trigger notifications_bot_outbox after insert on notifications
  for each row execute function ruche_bot_outbox_enqueue();

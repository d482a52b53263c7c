-- Microsoft 365 groups (and the teams built on them) linked to communities.
-- direction: 'from_group' = the group's members become members of the community;
--            'both' = also, joining or leaving the community adds or removes the person in the group.
create table community_group_links (
  tenant_id       uuid not null,
  community_id    uuid not null,
  group_id        uuid not null,
  direction       text not null check (direction in ('from_group', 'both')),
  group_name      text,
  linked_by       uuid,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  last_synced_at  timestamptz,
  primary key (tenant_id, community_id),
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade
);
create unique index community_group_links_group on community_group_links (tenant_id, group_id);

-- The members of each linked group as Graph last reported them (object ids).
create table linked_group_members (
  tenant_id   uuid not null,
  group_id    uuid not null,
  member_oid  uuid not null,
  primary key (tenant_id, group_id, member_oid)
);

-- Community membership changes still to make in the linked group (direction 'both').
create table group_membership_outbox (
  tenant_id    uuid not null,
  id           bigint generated always as identity,
  group_id     uuid not null,
  member_oid   uuid not null,
  operation    text not null check (operation in ('add', 'remove')),
  state        text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  attempts     int not null default 0,
  last_error   text,
  created_at   timestamptz not null default now(),
  done_at      timestamptz,
  primary key (tenant_id, id)
);
create index group_membership_outbox_pending on group_membership_outbox (tenant_id, id) where state = 'pending';

-- Joining (active) or leaving a community linked both ways queues the change for the group.
-- Changes made by the group sync itself set ruche.group_sync = 'on' and are not echoed back.
create or replace function ruche_group_membership_enqueue() returns trigger
  language plpgsql as $$
declare
  r record;
  was_active boolean;
  is_active boolean;
begin
  if coalesce(current_setting('ruche.group_sync', true), '') = 'on' then
    return null;
  end if;
  r := coalesce(new, old);
  was_active := tg_op <> 'INSERT' and old.state = 'active';
  is_active := tg_op <> 'DELETE' and new.state = 'active';
  if was_active = is_active then
    return null;
  end if;
  insert into group_membership_outbox (tenant_id, group_id, member_oid, operation)
  select l.tenant_id, l.group_id, p.entra_oid, case when is_active then 'add' else 'remove' end
  from community_group_links l
  join people p on p.tenant_id = l.tenant_id and p.id = r.person_id and p.entra_oid is not null
  where l.tenant_id = r.tenant_id and l.community_id = r.community_id and l.direction = 'both';
  return null;
end $$;

create trigger memberships_group_outbox after insert or update of state or delete on memberships
  for each row execute function ruche_group_membership_enqueue();

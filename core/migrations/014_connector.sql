-- The Graph (Copilot) search connector: one external connection per tenant, and an outbox of
-- items to push again. Triggers fill the outbox whatever code path changed a post, a
-- membership or a community (posts API, governance, erasure, directory sync...), in the
-- changing transaction; a job drains it (core/src/connector/). Pushing an item reads its
-- current state and PUTs (or DELETEs) it whole, so pushing twice is harmless.

create table connector_tenants (
  tenant_id      uuid primary key references tenants (id) on delete cascade,
  connection_id  text not null check (connection_id ~ '^[A-Za-z0-9]{3,32}$'),
  -- 'new' until the connection and its schema are created and ready.
  state          text not null default 'new' check (state in ('new', 'ready')),
  created_at     timestamptz not null default now(),
  ready_at       timestamptz
);

create table connector_outbox (
  tenant_id    uuid not null,
  id           bigint generated always as identity,
  -- 'post': push or delete that post; 'community': queue every post of that community again (its ACL changed).
  item_type    text not null check (item_type in ('post', 'community')),
  item_id      uuid not null,
  state        text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  -- Bumped when the item changes again while a row is pending: a drain that read an older
  -- version does not mark it done, so the change is pushed.
  version      integer not null default 1,
  attempts     integer not null default 0,
  lease_owner  uuid,
  lease_until  timestamptz,
  created_at   timestamptz not null default now(),
  done_at      timestamptz,
  last_error   text,
  primary key (tenant_id, id)
);
create unique index connector_outbox_pending_item on connector_outbox (tenant_id, item_type, item_id) where state = 'pending';
create index connector_outbox_pending on connector_outbox (tenant_id, id) where state = 'pending';

create or replace function ruche_connector_enqueue(p_tenant uuid, p_type text, p_id uuid) returns void
  language plpgsql as $$
begin
  if not exists (select 1 from connector_tenants c where c.tenant_id = p_tenant) then
    return;
  end if;
  insert into connector_outbox (tenant_id, item_type, item_id) values (p_tenant, p_type, p_id)
  on conflict (tenant_id, item_type, item_id) where state = 'pending'
  do update set version = connector_outbox.version + 1;
  perform pg_notify('ruche_connector_outbox', p_tenant::text);
end
$$;

create or replace function ruche_connector_post_changed() returns trigger
  language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform ruche_connector_enqueue(old.tenant_id, 'post', old.id);
  else
    perform ruche_connector_enqueue(new.tenant_id, 'post', new.id);
  end if;
  return null;
end
$$;

create trigger posts_connector_insert after insert on posts
  for each row execute function ruche_connector_post_changed();
create trigger posts_connector_update after update on posts
  for each row when (
    old.title is distinct from new.title or old.body is distinct from new.body
    or old.hidden_at is distinct from new.hidden_at or old.deleted_at is distinct from new.deleted_at
    or old.community_id is distinct from new.community_id or old.kind is distinct from new.kind
    or old.author_id is distinct from new.author_id)
  execute function ruche_connector_post_changed();
create trigger posts_connector_delete after delete on posts
  for each row execute function ruche_connector_post_changed();

-- Membership changes alter the ACL of private and secret communities (members), and of
-- public ones only through bans (denied people).
create or replace function ruche_connector_membership_changed() returns trigger
  language plpgsql as $$
declare
  r record;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  if not exists (select 1 from connector_tenants c where c.tenant_id = r.tenant_id) then
    return null;
  end if;
  if exists (select 1 from communities c where c.tenant_id = r.tenant_id and c.id = r.community_id and c.visibility <> 'public')
     or (tg_op <> 'INSERT' and old.state = 'banned') or (tg_op <> 'DELETE' and new.state = 'banned') then
    perform ruche_connector_enqueue(r.tenant_id, 'community', r.community_id);
  end if;
  return null;
end
$$;

create trigger memberships_connector_insert after insert on memberships
  for each row execute function ruche_connector_membership_changed();
create trigger memberships_connector_update after update on memberships
  for each row when (old.state is distinct from new.state)
  execute function ruche_connector_membership_changed();
create trigger memberships_connector_delete after delete on memberships
  for each row execute function ruche_connector_membership_changed();

create or replace function ruche_connector_community_changed() returns trigger
  language plpgsql as $$
begin
  perform ruche_connector_enqueue(new.tenant_id, 'community', new.id);
  return null;
end
$$;

create trigger communities_connector_update after update on communities
  for each row when (
    old.visibility is distinct from new.visibility or old.linked_group_id is distinct from new.linked_group_id
    or old.name is distinct from new.name)
  execute function ruche_connector_community_changed();

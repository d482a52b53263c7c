-- The Teams bot's conversation: activities already handled (Teams retries an activity when it
-- gets no answer in time, so each activity id is processed once per tenant) and the link
-- between a Teams team and the community its channels post into.

-- An activity is claimed ('processing') before its command runs and marked 'done' after; a
-- retry that finds the row does nothing. A claim whose command failed unexpectedly is
-- deleted, so that the retry runs it again (nothing was saved).
create table bot_activities (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  activity_id   text not null,
  kind          text not null,
  state         text not null default 'processing' check (state in ('processing', 'done')),
  received_at   timestamptz not null default now(),
  primary key (tenant_id, activity_id)
);
-- Old rows are purged by age (Teams retries within minutes).
create index bot_activities_received on bot_activities (received_at);

-- A team linked to one community: "@Ruche post ..." in any of its channels posts there.
create table bot_team_communities (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  team_id       text not null,
  community_id  uuid not null,
  team_name     text,
  linked_by     uuid,
  linked_at     timestamptz not null default now(),
  primary key (tenant_id, team_id),
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade,
  foreign key (tenant_id, linked_by) references people (tenant_id, id) on delete set null (linked_by)
);
create index bot_team_communities_community on bot_team_communities (tenant_id, community_id);

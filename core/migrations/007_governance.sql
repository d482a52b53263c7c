-- Governance: reports and the moderation queue, keyword rules, per-person rate limits.
-- Every table carries tenant_id first.

-- A report of a post or comment. People report with a fixed reason and free text; the
-- keyword screening files reports too (reporter_id null, reason 'keyword'). The queue is
-- the open reports grouped per item.
create table reports (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null default gen_random_uuid(),
  target_type   text not null check (target_type in ('post', 'comment')),
  target_id     uuid not null,
  -- The post of a comment (the post itself for a post), and its community, for the queues.
  post_id       uuid not null,
  community_id  uuid,
  reporter_id   uuid,
  reason        text not null check (reason in ('spam', 'harassment', 'hate', 'misinformation', 'off_topic', 'confidential', 'other', 'keyword')),
  details       text not null default '',
  state         text not null default 'open' check (state in ('open', 'dismissed', 'actioned')),
  resolution    text,
  resolved_by   uuid,
  resolved_at   timestamptz,
  created_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, reporter_id) references people (tenant_id, id) on delete set null (reporter_id)
);
-- One open report per person per item; one open keyword flag per item.
create unique index reports_one_open on reports (tenant_id, target_type, target_id, coalesce(reporter_id, '00000000-0000-0000-0000-000000000000'::uuid))
  where state = 'open';
create index reports_open_community on reports (tenant_id, community_id, created_at, target_id) where state = 'open';
create index reports_open_tenant on reports (tenant_id, created_at, target_id) where state = 'open';
create index reports_target on reports (tenant_id, target_type, target_id);
create index reports_reporter on reports (tenant_id, reporter_id, created_at desc);

-- Keyword rules of a tenant: a term (whole words, accent- and case-insensitive) or a
-- regular expression (matched in linear time on the folded text); flag or block.
create table keyword_rules (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null default gen_random_uuid(),
  kind        text not null check (kind in ('term', 'regex')),
  pattern     text not null,
  action      text not null check (action in ('flag', 'block')),
  language    text check (language in ('fr', 'en')),
  created_by  uuid,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index keyword_rules_pattern on keyword_rules (tenant_id, kind, pattern);

-- Token buckets per person and action, shared by every server instance.
create table rate_limit_buckets (
  tenant_id   uuid not null,
  person_id   uuid not null,
  action      text not null,
  tokens      double precision not null,
  -- The limits in force when the bucket was last used (tenant settings or defaults).
  capacity    double precision not null,
  per_second  double precision not null,
  updated_at  timestamptz not null,
  primary key (tenant_id, person_id, action),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

create index audit_log_actor on audit_log (tenant_id, actor_id, id desc);
create index audit_log_target on audit_log (tenant_id, target_type, target_id, id desc);

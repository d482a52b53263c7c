-- Posts and feeds: what 001 lacks for edit history, idea votes, polls, events and the
-- "new since your last visit" marker. Every table carries tenant_id first.

-- Every version of a post (version 1 is written at creation): the edit history.
create table post_revisions (
  tenant_id   uuid not null,
  post_id     uuid not null,
  version     integer not null,
  title       text not null,
  body        text not null,
  body_html   text not null,
  data        jsonb not null default '{}'::jsonb,
  edited_by   uuid not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, post_id, version),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, edited_by) references people (tenant_id, id)
);

-- One vote per person per idea.
create table idea_votes (
  tenant_id   uuid not null,
  post_id     uuid not null,
  person_id   uuid not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, post_id, person_id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

-- The chosen options of a poll: one row per option chosen (several for multiple choice).
create table poll_votes (
  tenant_id   uuid not null,
  post_id     uuid not null,
  person_id   uuid not null,
  option_id   text not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, post_id, person_id, option_id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

-- RSVPs. The order of "yes" answers (seq, renewed when someone says yes again) decides who
-- is in and who waits: the first `capacity` yes are in, the rest wait in order, so a
-- cancellation promotes the next one without any extra bookkeeping.
create sequence event_rsvps_seq;
create table event_rsvps (
  tenant_id     uuid not null,
  post_id       uuid not null,
  person_id     uuid not null,
  response      text not null check (response in ('yes', 'no', 'maybe')),
  seq           bigint not null default nextval('event_rsvps_seq'),
  responded_at  timestamptz not null default now(),
  primary key (tenant_id, post_id, person_id),
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);
create index event_rsvps_order on event_rsvps (tenant_id, post_id, response, seq);

-- The viewer's visits per feed ('home', 'community:<id>', 'topic:<id>', 'person:<id>').
-- Opening the first page moves last_visit_at to now and keeps the one before in
-- previous_visit_at, which the following pages use for the "new" marker.
create table feed_visits (
  tenant_id          uuid not null,
  person_id          uuid not null,
  feed               text not null,
  last_visit_at      timestamptz not null,
  previous_visit_at  timestamptz,
  primary key (tenant_id, person_id, feed),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

-- Pinned items of a community feed.
create index posts_community_pinned on posts (tenant_id, community_id, pinned_until desc)
  where deleted_at is null and pinned_until is not null;

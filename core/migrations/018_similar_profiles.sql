-- Same work elsewhere, precomputed: a word profile per community and per-tenant word
-- frequencies, so that a similarity call reads profiles through an index instead of
-- building every community's words, and weighs words without depending on ANALYZE.

-- How many posts of a tenant use each word (full-text lexeme of posts.search).
create table similar_word_frequencies (
  tenant_id uuid not null references tenants (id) on delete cascade,
  lexeme    text not null,
  posts     integer not null check (posts >= 0),
  primary key (tenant_id, lexeme)
);

-- The posts counted so far per tenant: all posts up to the watermark (created_at, id).
create table similar_word_counts (
  tenant_id       uuid primary key references tenants (id) on delete cascade,
  posts           integer not null check (posts >= 0),
  through_at      timestamptz,
  through_id      uuid,
  refreshed_at    timestamptz not null default now()
);

-- The words that describe a community, best first: `public_lexemes` from its name and
-- description (what anyone who may see it sees), `lexemes` also from its recent post titles
-- (used only for viewers who may read it). `department` is the department most of its active
-- members work in (an org unit's own department is read from the community).
create table similar_community_profiles (
  tenant_id      uuid not null,
  community_id   uuid not null,
  lexemes        text[] not null,
  public_lexemes text[] not null,
  department     text,
  refreshed_at   timestamptz not null default now(),
  primary key (tenant_id, community_id),
  foreign key (tenant_id, community_id) references communities (tenant_id, id) on delete cascade
);
create index similar_community_profiles_lexemes on similar_community_profiles using gin (lexemes);

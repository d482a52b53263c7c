-- Who's-who and the expertise finder: what people say about themselves, who may see it,
-- biography verification, and the indexes the expert search reads.

-- "Ask me about" tags and spoken languages (BCP 47 tags or plain names), edited by the person.
alter table people add column ask_me_about text[] not null default '{}';
alter table people add column languages text[] not null default '{}';
-- Per-field privacy: {"languages": "manager", "biography": "private", ...}; a field absent is
-- visible to everyone. Levels: 'everyone', 'manager' (the person, their manager, HR), 'private'.
alter table people add column field_privacy jsonb not null default '{}'::jsonb;
-- The biography as verified by the manager or HR; an edit of the biography clears it, and it
-- expires after 12 months (the manager is asked again: biography_verification_asked_at).
alter table people add column biography_verified_at timestamptz;
alter table people add column biography_verified_by uuid;
alter table people add column biography_verification_asked_at timestamptz;

create index people_languages on people using gin (languages);

-- Endorsements by skill (the expertise finder reads them per skill name).
create index endorsements_skill on endorsements (tenant_id, ruche_fold(skill), person_id);
-- Declared skills per skill name (exact match after the trigram lookup of the names).
create index person_skills_skill on person_skills (tenant_id, ruche_fold(skill), person_id);
-- Community experts per community.
create index memberships_experts on memberships (tenant_id, community_id, person_id)
  where role = 'expert' and state = 'active';
-- Kudos messages by full text ("kudos that mention it").
create index kudos_message_search on kudos using gin (to_tsvector('ruche', message)) where deleted_at is null;

-- Topic evidence per topic, community and person (posts written with the topic, accepted
-- answers on posts with the topic), recomputed by refreshExpertiseEvidence. Organisation-wide
-- posts use the nil community id. The expert search reads only the rows of communities the
-- viewer may read; the public share (public communities and organisation-wide posts) is
-- summed per person with its score, so the best candidates come from one index range.
create table expertise_evidence (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  topic_id          uuid not null,
  community_id      uuid not null,
  person_id         uuid not null,
  posts             integer not null,
  accepted_answers  integer not null,
  primary key (tenant_id, topic_id, person_id, community_id)
);
create index expertise_evidence_community on expertise_evidence (tenant_id, topic_id, community_id);

create table expertise_evidence_public (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  topic_id          uuid not null,
  person_id         uuid not null,
  posts             integer not null,
  accepted_answers  integer not null,
  score             real not null,
  primary key (tenant_id, topic_id, person_id)
);
create index expertise_evidence_public_rank on expertise_evidence_public (tenant_id, topic_id, score desc);

create table expertise_refresh (
  tenant_id     uuid primary key references tenants (id) on delete cascade,
  refreshed_at  timestamptz not null
);

-- The skill names in use (declared, directory, endorsed), for the trigram lookup of a query.
create table expertise_skill_names (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  name       text not null,
  primary key (tenant_id, name)
);
create index expertise_skill_names_trgm on expertise_skill_names using gin (ruche_fold(name) gin_trgm_ops);

-- Indexes behind foreign keys that had none usable, so that deleting or erasing a person,
-- a comment or a community does not scan whole tables.
create index if not exists comments_parent on comments (tenant_id, parent_id) where parent_id is not null;
create index if not exists posts_accepted_comment on posts (tenant_id, accepted_comment_id) where accepted_comment_id is not null;
create index if not exists posts_author on posts (tenant_id, author_id);
create index if not exists posts_community on posts (tenant_id, community_id);
create index if not exists endorsements_endorser on endorsements (tenant_id, endorser_id);
create index if not exists acknowledgements_person on acknowledgements (tenant_id, person_id);
create index if not exists communities_created_by on communities (tenant_id, created_by) where created_by is not null;
create index if not exists kudos_community on kudos (tenant_id, community_id) where community_id is not null;

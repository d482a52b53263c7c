-- Home and community feeds read (id, created_at) of the newest live posts per followed
-- community, person or topic, filtered on hidden_at / author_id / pinned_until and, for
-- people and topics, on the post's community. The feed indexes carry those columns, so
-- that each LATERAL scan is an index-only scan instead of one heap visit per candidate.
drop index if exists posts_community_feed;
create index posts_community_feed on posts (tenant_id, community_id, created_at desc, id desc)
  include (author_id, hidden_at, pinned_until)
  where deleted_at is null;

drop index if exists posts_author_feed;
create index posts_author_feed on posts (tenant_id, author_id, created_at desc, id desc)
  include (community_id, hidden_at)
  where deleted_at is null;

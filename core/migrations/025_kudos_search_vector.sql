-- The text-search vector of a kudos message, stored: the expert finder matches the kudos
-- each candidate received against the query, and computing the vector of every such
-- message at each search cost more than the rest of the search.
alter table kudos add column search tsvector generated always as (to_tsvector('ruche', message)) stored;
drop index if exists kudos_message_search;
create index kudos_message_search on kudos using gin (search) where deleted_at is null;

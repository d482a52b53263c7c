-- The shy experts the demo organisation plants (people with strong evidence on a topic they
-- never declared), kept beside the tenant instead of inside its settings: settings are read
-- on many requests and should stay small, and a large demo plants a thousand of them.
create table demo_shy_experts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  person_id uuid not null,
  topic_id uuid not null,
  topic text not null,
  topic_slug text not null,
  position int not null,
  primary key (tenant_id, position)
);

insert into demo_shy_experts (tenant_id, person_id, topic_id, topic, topic_slug, position)
select t.id, (e.x->>'personId')::uuid, (e.x->>'topicId')::uuid, e.x->>'topic', e.x->>'topicSlug', e.n::int
from tenants t cross join lateral jsonb_array_elements(coalesce(t.settings #> '{demo,shyExperts}', '[]'::jsonb)) with ordinality as e(x, n);

update tenants set settings = settings #- '{demo,shyExperts}' where settings #> '{demo,shyExperts}' is not null;

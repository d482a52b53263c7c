-- Recognition: company values for kudos (per tenant, seeded with defaults for every tenant),
-- people's recognition preferences (opt-out, public ranking opt-in), milestone badges, and
-- the indexes of the kudos walls. Tenant-wide settings (daily cap, countries and offices
-- where recognition is switched off) live in tenants.settings -> 'recognition'.

create table kudos_values (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  key         text not null check (key ~ '^[a-z][a-z0-9_-]{0,39}$'),
  name_en     text not null check (length(name_en) between 1 and 80),
  name_fr     text not null check (length(name_fr) between 1 and 80),
  -- A Fluent UI icon name, e.g. PeopleTeam.
  icon        text not null check (icon ~ '^[A-Za-z][A-Za-z0-9]{0,63}$'),
  colour      text not null check (colour ~ '^#[0-9a-fA-F]{6}$'),
  position    integer not null default 0,
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, key)
);

create or replace function ruche_seed_kudos_values(t uuid) returns void language sql as $$
  insert into kudos_values (tenant_id, key, name_en, name_fr, icon, colour, position) values
    (t, 'teamwork', 'Teamwork', 'Esprit d''équipe', 'PeopleTeam', '#0F6CBD', 1),
    (t, 'customer', 'Customer first', 'Client d''abord', 'PersonHeart', '#C50F1F', 2),
    (t, 'innovation', 'Innovation', 'Innovation', 'Lightbulb', '#EAA300', 3),
    (t, 'courage', 'Courage', 'Courage', 'Shield', '#8764B8', 4),
    (t, 'kindness', 'Kindness', 'Bienveillance', 'Heart', '#0B6A0B', 5)
  on conflict do nothing
$$;

create or replace function ruche_seed_kudos_values_trigger() returns trigger language plpgsql as $$
begin
  perform ruche_seed_kudos_values(new.id);
  return new;
end
$$;

create trigger tenants_seed_kudos_values after insert on tenants
  for each row execute function ruche_seed_kudos_values_trigger();

select ruche_seed_kudos_values(id) from tenants;

create table recognition_preferences (
  tenant_id       uuid not null,
  person_id       uuid not null,
  -- Nobody may give them kudos; their kudos are hidden from others; never on walls or leaderboards.
  opted_out       boolean not null default false,
  -- Appear by name in individual leaderboards (off by default).
  public_ranking  boolean not null default false,
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, person_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

create table kudos_badges (
  tenant_id   uuid not null,
  person_id   uuid not null,
  -- 'kudos' for all kudos received, or a value key for kudos of that value.
  scope       text not null,
  threshold   integer not null check (threshold in (1, 10, 25, 50, 100)),
  kudos_id    uuid,
  awarded_at  timestamptz not null default now(),
  primary key (tenant_id, person_id, scope, threshold),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade,
  foreign key (tenant_id, kudos_id) references kudos (tenant_id, id) on delete set null (kudos_id)
);

create index kudos_community_wall on kudos (tenant_id, community_id, created_at desc, id desc)
  where deleted_at is null and community_id is not null;
create index kudos_badges_kudos on kudos_badges (tenant_id, kudos_id);

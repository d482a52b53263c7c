-- People's photos from Microsoft Graph, stored through the files port. A person without a
-- photo has no row (the UI shows initials). etag is Graph's @odata.mediaEtag: the bytes are
-- fetched again only when it changes.
create table person_photos (
  tenant_id     uuid not null,
  person_id     uuid not null,
  etag          text not null,
  content_type  text not null,
  file_key      text not null,
  bytes         int not null,
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, person_id),
  foreign key (tenant_id, person_id) references people (tenant_id, id) on delete cascade
);

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

-- SharePoint intranet news (site pages promoted as news) of the configured sites, fetched by
-- a job and shown read-only, linking back to SharePoint.
create table sharepoint_news (
  tenant_id     uuid not null,
  site_id       text not null,
  page_id       text not null,
  title         text not null,
  description   text,
  web_url       text not null,
  author_name   text,
  published_at  timestamptz not null,
  modified_at   timestamptz,
  fetched_at    timestamptz not null default now(),
  primary key (tenant_id, site_id, page_id)
);
create index sharepoint_news_recent on sharepoint_news (tenant_id, published_at desc, site_id, page_id);

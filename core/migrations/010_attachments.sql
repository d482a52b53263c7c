-- Files attached to posts. The bytes live in a file store (a local folder by default);
-- this table holds what Ruche knows of them. An upload belongs to its uploader until it is
-- attached to a post, after which the post's readers may download it.
create table attachments (
  tenant_id     uuid not null,
  id            uuid not null default gen_random_uuid(),
  uploader_id   uuid not null,
  post_id       uuid,
  name          text not null,
  content_type  text not null,
  size          bigint not null,
  sha256        text not null,
  storage_key   text not null,
  created_at    timestamptz not null default now(),
  attached_at   timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, uploader_id) references people (tenant_id, id) on delete cascade,
  foreign key (tenant_id, post_id) references posts (tenant_id, id) on delete cascade
);
create index attachments_post on attachments (tenant_id, post_id, created_at) where post_id is not null;
create index attachments_unattached on attachments (created_at) where post_id is null;

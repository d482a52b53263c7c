-- Search at scale (50,000 people, 1,000,000 posts): people by job title, department and user
-- name through trigram indexes (the name already has one), and posts newest first, so that a
-- search for a very common word ranks the most recent matches instead of all of them.
create index if not exists people_job_title_trgm on people using gin (ruche_fold(job_title) gin_trgm_ops);
create index if not exists people_department_trgm on people using gin (ruche_fold(department) gin_trgm_ops);
create index if not exists people_upn_trgm on people using gin (lower(upn) gin_trgm_ops);
create index if not exists posts_recent on posts (tenant_id, created_at desc, id desc) where deleted_at is null;

-- The display name of the SharePoint site a news item comes from (GET /sites/{id} displayName),
-- read once per site at each news fetch. Null until the next fetch, or when the site has none:
-- the site's name is then taken from its address.
alter table sharepoint_news add column site_name text;

-- Custom SQL migration: every organization holds its current slug in organizations_slugs (the worker keeps it so since, worker/src/orgs/slugs.ts),
-- which is where an org is looked up by slug and where a slug is claimed.
INSERT INTO organizations_slugs (slug, org_id, created_at)
SELECT slug, id, created_at FROM organizations;

-- Custom SQL migration: a slug for every organization made before slugs (the worker makes them since, worker/src/orgs/slugs.ts):
-- the name in lowercase letters (common accents dropped), digits and single dashes, at most 40 characters ("org" if nothing is left), the oldest
-- org of a name keeping it bare and the others followed by the start of their id.
WITH based AS (
  SELECT id, created_at, coalesce(nullif(trim(both '-' from left(regexp_replace(translate(lower(name), 'àáâãäåāçćčèéêëēęìíîïīłñńòóôõöøōùúûüūýÿžźżšśß', 'aaaaaaaccceeeeeeiiiiilnnooooooouuuuuyyzzzsss'), '[^a-z0-9]+', '-', 'g'), 40)), ''), 'org') AS base
  FROM organizations WHERE slug IS NULL
), ranked AS (
  SELECT id, base, row_number() OVER (PARTITION BY base ORDER BY created_at, id) AS n FROM based
)
UPDATE organizations o SET slug = CASE WHEN r.n = 1 AND NOT EXISTS (SELECT 1 FROM organizations t WHERE t.slug = r.base) THEN r.base ELSE r.base || '-' || left(o.id::text, 8) END
FROM ranked r WHERE o.id = r.id;

-- Custom SQL migration: 0001's renames kept the constraints drizzle-kit does not name (primary keys; on Postgres 18 also the NOT NULLs) under their gateway names.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint WHERE conrelid IN ('vpn_bridges'::regclass, 'organizations_vpn_bridges'::regclass) AND conname LIKE '%gateway%' LOOP
    EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', c.tbl, c.conname,
      replace(replace(replace(c.conname, 'organizations_gateways_', 'organizations_vpn_bridges_'), 'gateways_', 'vpn_bridges_'), 'gateway_id', 'bridge_id'));
  END LOOP;
END $$;

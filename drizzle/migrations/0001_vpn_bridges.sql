ALTER TABLE "organizations_gateways" RENAME TO "organizations_vpn_bridges";--> statement-breakpoint
ALTER TABLE "gateways" RENAME TO "vpn_bridges";--> statement-breakpoint
ALTER TABLE "organizations_vpn_bridges" RENAME COLUMN "gateway_id" TO "bridge_id";--> statement-breakpoint
ALTER TABLE "organizations_vpn_bridges" DROP CONSTRAINT "organizations_gateways_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "organizations_vpn_bridges" DROP CONSTRAINT "organizations_gateways_gateway_id_gateways_id_fk";
--> statement-breakpoint
DROP INDEX "gateways_host_key";--> statement-breakpoint
ALTER TABLE "organizations_vpn_bridges" ADD CONSTRAINT "organizations_vpn_bridges_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations_vpn_bridges" ADD CONSTRAINT "organizations_vpn_bridges_bridge_id_vpn_bridges_id_fk" FOREIGN KEY ("bridge_id") REFERENCES "public"."vpn_bridges"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "vpn_bridges_host_key" ON "vpn_bridges" USING btree ("host");
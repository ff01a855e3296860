/** The shipped images (protocol/catalog.json), as the module fills in a catalog image's services. */
export { CATALOG, catalogServices } from "../../../../protocol/catalog";

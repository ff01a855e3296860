/**
 * `npm run keys:generate`: prints a new JWT_PRIVATE_KEY for production (`wrangler secret put JWT_PRIVATE_KEY`).
 * `npm run keys:generate -- bridge`: a new BRIDGE_KEY (`wrangler secret put BRIDGE_KEY`; the VPN bridge gets the same as KILN_BRIDGE_KEY).
 */
import { generateJwtPrivateKey } from "./local/jwt-key";

console.log(process.argv[2] === "bridge" ? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url") : await generateJwtPrivateKey());

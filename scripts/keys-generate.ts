/** `npm run keys:generate`: prints a new JWT_PRIVATE_KEY for production (`wrangler secret put JWT_PRIVATE_KEY`). */
import { generateJwtPrivateKey } from "./local/jwt-key";

console.log(await generateJwtPrivateKey());

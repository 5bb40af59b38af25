/** Rewrites docs/SITES.md from the site rules and the fixtures. Usage: npm run sites:doc */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderSitesDoc, SITES_DOC_PATH } from "./support/sites-doc.js";

writeFileSync(SITES_DOC_PATH, renderSitesDoc());
process.stderr.write(`wrote ${path.relative(process.cwd(), SITES_DOC_PATH)}\n`);

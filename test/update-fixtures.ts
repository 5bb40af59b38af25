/**
 * Regenerates every fixtures/sites/<host>/<case>/expected.json from the current extractor, for
 * review as a diff (`git diff fixtures/`). Usage: npm run fixtures:update [-- <case-substring>]
 */
import { listFixtureCases, writeExpected } from "./support/fixtures.js";

const filter = process.argv[2];
for (const fixture of listFixtureCases()) {
  if (filter && !fixture.name.includes(filter)) continue;
  writeExpected(fixture);
  process.stdout.write(`updated ${fixture.name}\n`);
}

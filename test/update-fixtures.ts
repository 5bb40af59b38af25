/**
 * Regenerates every fixtures/sites/<host>/<case>/expected.json from the current extractor, for
 * review as a diff (`git diff fixtures/`). Usage: npm run fixtures:update [-- <case-substring>]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expectedView, listFixtureCases, parseFixture } from "./support/fixtures.js";

const filter = process.argv[2];
for (const fixture of listFixtureCases()) {
  if (filter && !fixture.name.includes(filter)) continue;
  const record = parseFixture(fixture, "linkedom");
  writeFileSync(
    path.join(fixture.dir, "expected.json"),
    `${JSON.stringify(expectedView(record), null, 2)}\n`,
  );
  process.stdout.write(`updated ${fixture.name}\n`);
}

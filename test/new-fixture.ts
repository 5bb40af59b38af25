/** `npm run fixtures:new -- <url> <file.html>`: see NEW_FIXTURE_USAGE in ./support/new-fixture.ts. */
import { runNewFixture } from "./support/new-fixture.js";

process.exitCode = runNewFixture(process.argv.slice(2));

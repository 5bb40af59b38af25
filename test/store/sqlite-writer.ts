/**
 * One writer process for the multi-process SQLite test: upserts the same 50 URLs as its siblings,
 * with content that differs per (url, writer) for half of them, and prints the outcomes as JSON.
 */
import { SqliteArticleStore } from "../../src/store/sqlite/sqlite-store.js";
import { makeRecord } from "../support/records.js";

const [file, workerText] = process.argv.slice(2);
const worker = Number(workerText);
const store = await SqliteArticleStore.open(file as string);
const outcomes: string[] = [];
for (let round = 0; round < 50; round++) {
  const i = (round * 7 + worker * 11) % 50;
  const body = i % 2 === 0 ? `Shared content of ${i}.` : `Content of ${i} from writer ${worker}.`;
  const result = await store.upsertArticle(makeRecord(`https://multi.example/${i}`, { body }));
  outcomes.push(result.outcome);
}
await store.close();
process.stdout.write(JSON.stringify(outcomes));

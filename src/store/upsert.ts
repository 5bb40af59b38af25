import type { UpsertOutcome, UpsertResult } from "./article-store.js";
import { type BodySketch, containment, NEAR_DUPLICATE_THRESHOLD } from "./near-duplicate.js";
import { changedRevisionFields, type PreparedArticle } from "./prepare.js";
import type { UrlRow, WriteTx } from "./write-tx.js";

/** How many LSH candidates are scored exactly; the best-matching ones come first. */
const NEAR_DUPLICATE_CANDIDATES = 20;

/**
 * One upsert, inside a transaction the backend opened: insert-or-lock the article row (never
 * read-then-write), record a revision when the content hash changed, index every URL, then link the
 * article's story to every story its URLs are already in (provenance evidence) or, failing that, to
 * the story of a near-duplicate body.
 */
export async function upsertInTransaction(
  tx: WriteTx,
  article: PreparedArticle,
  now: string,
): Promise<UpsertResult> {
  const { articleId } = article;
  let outcome: UpsertOutcome;
  let revision: number;
  let storyId: string;
  if (await tx.insertArticle(article, article.founderStoryId, now)) {
    outcome = "created";
    revision = 1;
    storyId = article.founderStoryId;
  } else {
    const current = await tx.lockArticle(articleId);
    storyId = current.storyId;
    revision = current.revision;
    // A record fetched before the stored one is a slow worker's stale copy: it must not roll back.
    if (current.contentHash === article.contentHash || article.fetchedAt < current.fetchedAt) {
      if (article.seenAt > current.lastSeenAt) await tx.markSeen(articleId, article.seenAt);
      outcome = "unchanged";
    } else {
      revision = current.revision + 1;
      await tx.reviseArticle(article, revision);
      await tx.insertRevision({
        articleId,
        revision,
        contentHash: article.contentHash,
        changedFields: changedRevisionFields(JSON.parse(current.json), article.record),
        recordedAt: now,
        json: article.json,
      });
      outcome = "revised";
    }
  }

  const urls = article.urls.map((entry) => entry.url);
  if (outcome === "unchanged" && isFullyLinked(await tx.selectUrls(urls), article, storyId)) {
    return { articleId, storyId, revision, outcome };
  }

  storyId = await lockLiveStory(tx, storyId);
  const storyBefore = storyId;
  await tx.upsertUrls(article.urls, articleId, storyId);
  const evidence = storiesNamedBy(await tx.selectUrls(urls), article, storyId);
  const touched = new Set<string>(outcome === "unchanged" ? [] : [articleId]);

  if (evidence.size > 0) {
    const merged = await mergeStories(tx, [storyId, ...evidence]);
    storyId = merged.storyId;
    for (const id of merged.moved) touched.add(id);
    if (outcome === "created" || storyId !== storyBefore)
      await tx.setStoryLink(articleId, "provenance", null);
  } else if (outcome !== "unchanged" && article.sketch() && (await tx.countStoryArticles(storyId)) === 1) {
    const sketch = article.sketch() as BodySketch;
    const candidates = await tx.findNearDuplicates(
      sketch,
      articleId,
      article.site,
      NEAR_DUPLICATE_CANDIDATES,
    );
    let best: { storyId: string; score: number } | null = null;
    for (const candidate of candidates) {
      if (candidate.storyId === storyId) continue;
      const score = containment(sketch.shingles, candidate.shingles);
      if (score >= NEAR_DUPLICATE_THRESHOLD && (best === null || score > best.score)) {
        best = { storyId: candidate.storyId, score };
      }
    }
    if (best) {
      const merged = await mergeStories(tx, [storyId, best.storyId]);
      storyId = merged.storyId;
      for (const id of merged.moved) touched.add(id);
      await tx.setStoryLink(articleId, "near-duplicate", Math.round(best.score * 1000) / 1000);
    }
  }
  if (outcome !== "unchanged") await tx.putSketch(articleId, article.sketch(), outcome === "revised");
  if (touched.size > 0) await tx.stampArticles([...touched].sort());
  return { articleId, storyId, revision, outcome };
}

/** True when every URL of the article is indexed in its story already: nothing to link. */
function isFullyLinked(rows: UrlRow[], article: PreparedArticle, storyId: string): boolean {
  const byUrl = new Map(rows.map((row) => [row.url, row]));
  return article.urls.every((entry) => {
    const row = byUrl.get(entry.url);
    if (!row) return false;
    if (entry.kind === "alias") {
      return row.storyId === storyId || (row.kind !== "provenance" && row.articleId !== article.articleId);
    }
    if (entry.kind === "canonical") return row.storyId === storyId && row.articleId === article.articleId;
    return row.storyId === storyId;
  });
}

/**
 * Stories that the article's URLs say it belongs to: the story of its canonical URL or of a
 * provenance URL, and of any URL row that points at this article. An alias (requested or final URL)
 * that another article holds is not evidence: a redirect can land many pages on one URL.
 */
function storiesNamedBy(rows: UrlRow[], article: PreparedArticle, storyId: string): Set<string> {
  const kinds = new Map(article.urls.map((entry) => [entry.url, entry.kind]));
  const out = new Set<string>();
  for (const row of rows) {
    if (row.storyId === storyId) continue;
    if (kinds.get(row.url) !== "alias" || row.articleId === article.articleId) out.add(row.storyId);
  }
  return out;
}

/** Follows merge redirects to the live story and share-locks it so nobody merges it away meanwhile. */
async function lockLiveStory(tx: WriteTx, storyId: string): Promise<string> {
  let id = storyId;
  for (let hop = 0; hop < 100; hop++) {
    const [row] = await tx.lockStories([id], "share");
    if (!row) throw new Error(`story ${id} is missing: the store is inconsistent`);
    if (row.mergedInto === null) return id;
    id = row.mergedInto;
  }
  throw new Error(`story ${storyId} has a merge cycle: the store is inconsistent`);
}

/**
 * Merges stories into the oldest of them (so long-lived story ids stay put), following merge
 * redirects taken concurrently. Returns the surviving story and the articles moved into it.
 */
async function mergeStories(tx: WriteTx, storyIds: string[]): Promise<{ storyId: string; moved: string[] }> {
  let ids = [...new Set(storyIds)];
  for (let round = 0; round < 100; round++) {
    const rows = await tx.lockStories(ids, "update");
    const redirected = rows.filter((row) => row.mergedInto !== null);
    if (redirected.length > 0) {
      const next = new Map(redirected.map((row) => [row.id, row.mergedInto as string]));
      ids = [...new Set(ids.map((id) => next.get(id) ?? id))];
      continue;
    }
    const target = rows.reduce((oldest, row) => (row.seq < oldest.seq ? row : oldest));
    const others = rows.filter((row) => row.id !== target.id).map((row) => row.id);
    const moved = others.length > 0 ? await tx.mergeStories(others, target.id) : [];
    return { storyId: target.id, moved };
  }
  throw new Error("story merge did not settle: the store is inconsistent");
}

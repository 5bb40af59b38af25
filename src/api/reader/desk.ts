import { type ArticleRecord, REVISION_FIELDS } from "../../domain/article.js";
import { siteOf } from "../../domain/url.js";
import type { ArticleStore, RevisionField, StoredArticle, StoryView } from "../../store/article-store.js";
import { type ArticleFilters, newestArticles } from "../recent.js";
import type { ChangeList, DeskList, DeskQuery, DeskStory, FieldChange } from "./desk-schemas.js";
import { diffParagraphs, diffWords, elideUnchanged } from "./text-diff.js";

/**
 * What the reader page's desk shows, read from the store's existing queries: the newest changes
 * (the feed's query, so `q` searches as the feed does), grouped into stories, each with its copies.
 */

/** Articles read for one list, as the feed's largest page: one story per row after grouping. */
const ARTICLES_SCANNED = 100;
const MAX_STORIES = 50;
/** Copies read per story to count teasers and find a provenance chain. */
const MAX_COPIES_READ = 500;

export async function deskStories(store: ArticleStore, query: DeskQuery): Promise<DeskList> {
  const filters: ArticleFilters = {
    ...(query.site !== undefined && { site: query.site.toLowerCase().replace(/^www\d?\./, "") }),
    ...(query.language !== undefined && { language: query.language }),
    ...(query.q !== undefined && { q: query.q }),
  };
  const newest = await newestArticles(store, filters, ARTICLES_SCANNED);
  const storyIds = [...new Set(newest.map((article) => article.storyId))].slice(0, MAX_STORIES);
  const loaded = await Promise.all(storyIds.map((storyId) => deskStory(store, storyId)));
  const stories: DeskStory[] = [];
  const seen = new Set<string>();
  for (const story of loaded) {
    // Two listed articles can name one story when it merged while we read: show it once.
    if (!story || seen.has(story.storyId)) continue;
    seen.add(story.storyId);
    stories.push(story);
  }
  return {
    stories,
    sites: [...new Set(stories.flatMap((story) => story.copySites))].sort(),
    languages: [
      ...new Set(stories.map((story) => story.language).filter((tag): tag is string => tag !== null)),
    ].sort(),
  };
}

async function deskStory(store: ArticleStore, storyId: string): Promise<DeskStory | null> {
  const story = await store.getStory(storyId);
  if (!story) return null;
  const page = await store.listArticles({ storyId: story.storyId, limit: MAX_COPIES_READ });
  const copies = new Map(page.items.map((article) => [article.articleId, article]));
  const meta = copies.get(story.metadataFrom) ?? (await store.getArticle(story.metadataFrom));
  if (!meta) return null;
  const stored = story.sources.filter((source) => source.articleId !== null);
  return {
    storyId: story.storyId,
    title: story.title,
    standfirst: story.standfirst,
    articleId: meta.articleId,
    url: meta.record.url,
    publisher: story.publisher,
    site: siteOf(meta.record.url),
    language: story.language,
    publishedAt: story.publishedAt,
    updatedAt: story.updatedAt,
    copies: stored.length,
    namedCopies: story.sources.length - stored.length,
    copySites: [...new Set(stored.map((source) => source.site))],
    origin: originOf(story, meta, copies),
    truncatedCopies: page.items.filter((article) => article.record.paywall.truncated).length,
  };
}

/**
 * The first entry of a provenance chain: the metadata copy's own chain, else the first chain among
 * the other copies in the story's order (origin, syndicators, aggregators).
 */
function originOf(
  story: StoryView,
  meta: StoredArticle,
  copies: Map<string, StoredArticle>,
): DeskStory["origin"] {
  const chains = [meta, ...story.sources.map((source) => copies.get(source.articleId ?? ""))];
  for (const article of chains) {
    const first = article?.record.provenance[0];
    if (first) {
      return {
        role: first.role,
        name: first.name,
        url: first.url,
        site: first.url ? siteOf(first.url) : null,
      };
    }
  }
  return null;
}

/** Every revision of an article with what changed from the one before; null for an unknown id. */
export async function revisionChanges(store: ArticleStore, articleId: string): Promise<ChangeList | null> {
  const revisions = await store.listRevisions(articleId);
  if (revisions.length === 0) return null;
  return {
    articleId,
    revisions: revisions.map((revision, index) => {
      const previous = revisions[index - 1];
      return {
        revision: revision.revision,
        recordedAt: revision.recordedAt,
        changedFields: revision.changedFields,
        changes: previous ? fieldChanges(previous.record, revision.record) : [],
      };
    }),
  };
}

function fieldChanges(before: ArticleRecord, after: ArticleRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of REVISION_FIELDS) {
    const old = textOf(before, field);
    const current = textOf(after, field);
    if (old === current) continue;
    const segments =
      field === "body" ? elideUnchanged(diffParagraphs(old ?? "", current ?? "")) : diffWords(old, current);
    changes.push({ field, segments });
  }
  return changes;
}

function textOf(record: ArticleRecord, field: RevisionField): string | null {
  if (field === "body") return record.body.text;
  if (field === "authors") return record.authors.join(", ");
  return record[field];
}

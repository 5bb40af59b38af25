/**
 * What changed between two versions of a text, for the reader page's revision view: a list of
 * equal, deleted and inserted runs that, read in order, spell the old text (equal + delete) and the
 * new one (equal + insert).
 *
 * Body text is compared paragraph by paragraph first, then word by word inside each run of changed
 * paragraphs, so the word-level comparison only ever sees the part that changed. Both levels use
 * Myers' O(ND) algorithm with a bound on D: past it a run is shown as removed and inserted whole,
 * so a rewritten article costs bounded time and memory instead of a quadratic search.
 */
export type DiffOp = "equal" | "delete" | "insert";

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/** Edits one Myers search may make before giving up on alignment (memory grows with its square). */
const MAX_EDITS = 1500;
const PARAGRAPH_BREAK = /\n\s*\n/;
const SEPARATOR = "\n\n";

/** A word-level diff of two short texts (titles, standfirsts); null counts as empty. */
export function diffWords(before: string | null, after: string | null): DiffSegment[] {
  return tidy(diffTokenRuns(tokenize(before ?? ""), tokenize(after ?? "")));
}

/** A diff of two texts made of paragraphs separated by blank lines (record bodies). */
export function diffParagraphs(before: string, after: string): DiffSegment[] {
  const oldParagraphs = splitParagraphs(before);
  const newParagraphs = splitParagraphs(after);
  const edits = myers(oldParagraphs, newParagraphs) ?? wholeReplacement(oldParagraphs, newParagraphs);
  const out: DiffSegment[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const separate = () => {
    if (out.length > 0) out.push({ op: "equal", text: SEPARATOR });
  };
  const flushChange = () => {
    if (removed.length === 0 && added.length === 0) return;
    separate();
    out.push(...diffTokenRuns(tokenize(removed.join(SEPARATOR)), tokenize(added.join(SEPARATOR))));
    removed = [];
    added = [];
  };
  for (const edit of edits) {
    if (edit.op === "equal") {
      flushChange();
      separate();
      out.push({ op: "equal", text: edit.token });
    } else if (edit.op === "delete") {
      removed.push(edit.token);
    } else {
      added.push(edit.token);
    }
  }
  flushChange();
  return tidy(out);
}

/**
 * Shortens unchanged stretches longer than `context` characters on each side of a change to their
 * ends next to the change, cut at a space; the cut part becomes an "equal" run of "…". For showing a
 * long body's changes without the whole body.
 */
export function elideUnchanged(segments: DiffSegment[], context = 160): DiffSegment[] {
  return segments.map((segment, index) => {
    if (segment.op !== "equal") return segment;
    const first = index === 0;
    const last = index === segments.length - 1;
    const keep = (first ? 0 : context) + (last ? 0 : context);
    if (segment.text.length <= keep + context) return segment;
    const head = first ? "" : cutAfter(segment.text, context);
    const tail = last ? "" : cutBefore(segment.text, context);
    return { op: "equal", text: [head, "…", tail].filter(Boolean).join(" ") };
  });
}

interface Edit {
  op: DiffOp;
  token: string;
}

function splitParagraphs(text: string): string[] {
  return text
    .split(PARAGRAPH_BREAK)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}

/** Words and the whitespace between them, so that spacing survives and words align on words. */
function tokenize(text: string): string[] {
  return text.split(/(\s+)/).filter((token) => token.length > 0);
}

function diffTokenRuns(before: string[], after: string[]): DiffSegment[] {
  const edits = myers(before, after) ?? wholeReplacement(before, after);
  return edits.map((edit) => ({ op: edit.op, text: edit.token }));
}

function wholeReplacement(before: string[], after: string[]): Edit[] {
  return [
    ...before.map((token): Edit => ({ op: "delete", token })),
    ...after.map((token): Edit => ({ op: "insert", token })),
  ];
}

/**
 * The shortest edit script from `a` to `b` (Myers 1986), or null when it needs more than MAX_EDITS
 * edits. Common ends are matched first; each step d keeps only the 2d+1 diagonals it reached, which is
 * all the backtrack needs.
 */
function myers(a: string[], b: string[]): Edit[] | null {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((token): Edit => ({ op: "equal", token }));
  const tail = a.slice(endA).map((token): Edit => ({ op: "equal", token }));
  const x0 = a.slice(start, endA);
  const y0 = b.slice(start, endB);
  const middle = shortestEdits(x0, y0);
  return middle ? [...head, ...middle, ...tail] : null;
}

function shortestEdits(a: string[], b: string[]): Edit[] | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, MAX_EDITS);
  // furthest[k + offset]: the furthest x reached on diagonal k = x - y.
  const offset = limit + 1;
  const furthest = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(furthest, offset, k - 1) < at(furthest, offset, k + 1));
      let x = down ? at(furthest, offset, k + 1) : at(furthest, offset, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[k + offset] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(furthest.slice(offset - d, offset + d + 1));
  }
  if (found < 0) return null;

  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const previous = trace[d - 1] as Int32Array;
    const k = x - y;
    const reached = (diagonal: number) => previous[diagonal + d - 1] as number;
    const down = k === -d || (k !== d && reached(k - 1) < reached(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = reached(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: "equal", token: a[x - 1] as string });
      x--;
      y--;
    }
    if (down) edits.push({ op: "insert", token: b[prevY] as string });
    else edits.push({ op: "delete", token: a[prevX] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    edits.push({ op: "equal", token: a[x - 1] as string });
    x--;
    y--;
  }
  return edits.reverse();
}

function at(array: Int32Array, offset: number, k: number): number {
  return array[k + offset] as number;
}

/**
 * Joins neighbouring runs of one kind, and folds whitespace left equal between two changes into
 * both, so that "a b" → "c d" reads as one removal and one insertion rather than two of each.
 */
function tidy(segments: DiffSegment[]): DiffSegment[] {
  const folded: DiffSegment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as DiffSegment;
    const before = folded.at(-1);
    const after = segments[i + 1];
    const isGap = segment.op === "equal" && /^\s+$/.test(segment.text) && !segment.text.includes("\n");
    if (isGap && before && before.op !== "equal" && after && after.op !== "equal") {
      folded.push({ op: "delete", text: segment.text }, { op: "insert", text: segment.text });
      continue;
    }
    folded.push(segment);
  }
  // Removals before insertions within each changed stretch, then neighbours of one kind joined.
  const ordered: DiffSegment[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed) ordered.push({ op: "delete", text: removed });
    if (added) ordered.push({ op: "insert", text: added });
    removed = "";
    added = "";
  };
  for (const segment of folded) {
    if (segment.op === "delete") removed += segment.text;
    else if (segment.op === "insert") added += segment.text;
    else {
      flush();
      const last = ordered.at(-1);
      if (last?.op === "equal") last.text += segment.text;
      else if (segment.text) ordered.push({ ...segment });
    }
  }
  flush();
  return ordered;
}

function cutAfter(text: string, length: number): string {
  const space = text.indexOf(" ", length);
  return space < 0 ? text : text.slice(0, space);
}

function cutBefore(text: string, length: number): string {
  const space = text.lastIndexOf(" ", text.length - length);
  return space < 0 ? text : text.slice(space + 1);
}

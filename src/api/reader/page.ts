/**
 * The reader page at /: plain HTML, CSS and a little vanilla JavaScript over the JSON API, no build
 * step. Kept as strings so the compiled package needs no asset copying.
 *
 * The list is a desk: one row per story with its site, copies, origin, paywall mark and language,
 * filtered by search words, site and language (`#/?q=…&site=…&language=…`), from
 * /reader/stories.json. A story shows each revision's changes from /reader/articles/:id/changes.json.
 * The facts grid follows the width of the list (container queries), not of the window, so it holds
 * beside the re-fetch form as well as alone on a phone.
 *
 * Every value from the API reaches the page through `textContent` or an attribute set with
 * `setAttribute` on an element we create: never `innerHTML`, so stored text cannot become markup.
 * Links from records are only followed when they are http(s).
 */
export const READER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>copydesk reader</title>
<link rel="stylesheet" href="/reader.css">
<link rel="alternate" type="application/atom+xml" title="copydesk" href="/v1/feed.xml">
<link rel="alternate" type="application/feed+json" title="copydesk" href="/v1/feed.json">
<script src="/reader.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="#/">copydesk</a>
  <nav><a href="/docs">API docs</a> · <a href="/v1/feed.xml">Atom</a> · <a href="/v1/feed.json">JSON Feed</a></nav>
</header>
<main>
  <section id="view" aria-live="polite"><p>Loading…</p></section>
  <aside>
    <form id="refetch" autocomplete="off">
      <h2>Re-fetch a URL</h2>
      <label>URL <input name="url" type="url" required placeholder="https://example.com/story"></label>
      <label class="inline"><input name="force" type="checkbox"> even if unchanged</label>
      <label>API token <input name="token" type="password" placeholder="needed to re-fetch"></label>
      <button type="submit">Re-fetch</button>
      <p id="refetch-status" role="status" data-state="idle"></p>
    </form>
  </aside>
</main>
</body>
</html>
`;

export const READER_CSS = `:root { font-family: system-ui, sans-serif; color: #1d1d1f; background: #fafafa; }
body { margin: 0; }
header { display: flex; flex-wrap: wrap; gap: .25rem 1rem; justify-content: space-between; align-items: baseline; padding: .75rem 1.5rem; background: #111; }
header a { color: #eee; } .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 2rem; padding: 1.5rem; max-width: 72rem; margin: auto; }
@media (max-width: 50rem) { main { grid-template-columns: minmax(0, 1fr); padding: 1rem; } }
form label { display: block; margin: .5rem 0; } form label.inline { display: flex; gap: .4rem; }
form input[type=url], form input[type=password] { width: 100%; box-sizing: border-box; padding: .35rem; }
.meta { color: #666; font-size: .9rem; }
h1, h2, h3, p, dd, a, label { overflow-wrap: anywhere; }
#filters { display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: flex-end; margin: 0 0 1rem; }
#filters label { display: flex; flex-direction: column; gap: .2rem; margin: 0; flex: 1 1 9rem; min-width: 0; font-size: .85rem; color: #444; }
#filters label.query { flex: 3 1 14rem; }
#filters input { width: 100%; box-sizing: border-box; padding: .35rem; font: inherit; }
#filters .actions { display: flex; gap: .75rem; align-items: center; padding-bottom: .35rem; }
.count { margin: 0 0 .5rem; }
#results, article { container-type: inline-size; }
.stories { list-style: none; padding: 0; margin: 0; }
.stories > li { padding: .8rem 0; border-top: 1px solid #ddd; }
.stories .title { font-weight: 600; font-size: 1.05rem; }
.stories .summary { margin: .25rem 0 0; color: #333; }
.facts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .4rem 1rem; margin: .5rem 0 0; font-size: .875rem; }
@container (min-width: 30rem) { .facts { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr) minmax(0, 3fr); } }
@container (min-width: 46rem) { .facts { grid-template-columns: minmax(0, 2.2fr) minmax(0, 1.2fr) minmax(0, 2.2fr) minmax(0, 1.2fr) minmax(0, 1fr) minmax(0, 1.4fr); } }
.fact { min-width: 0; } .fact dt { color: #666; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; }
.fact dd { margin: 0; } .host { color: #666; }
.mark { display: inline-block; border-radius: .25rem; padding: 0 .35rem; font-size: .8rem; font-weight: 600; }
.mark.paywall { background: #fde8c8; color: #7a4100; } .mark.free { color: #666; font-weight: 400; padding: 0; }
.revisions { padding-left: 1.25rem; } .revisions > li { margin: 0 0 1rem; }
.change { margin: .4rem 0 0; } .change h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #666; margin: 0 0 .15rem; }
.diff { margin: 0; white-space: pre-wrap; line-height: 1.5; background: #fff; border: 1px solid #ddd; border-radius: .3rem; padding: .4rem .6rem; }
.diff del { background: #fbdada; color: #7d1010; }
.diff ins { background: #d5f2d9; color: #0c5a1a; text-decoration: none; }
.diff del + ins { margin-left: .2em; }
.standfirst { font-size: 1.15rem; color: #333; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; } figcaption { color: #555; font-size: .9rem; }
.chain { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; }
.chain li { border: 1px solid #ccc; border-radius: .3rem; padding: .3rem .6rem; background: #fff; }
.chain li + li::before { content: "→ "; color: #888; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #ddd; overflow-wrap: break-word; }
.sources { table-layout: fixed; } .sources col.role { width: 16%; } .sources col.site { width: 26%; } .sources col.copy { width: 30%; }
@container (max-width: 30rem) {
  .sources, .sources tbody, .sources tr, .sources td { display: block; width: auto; }
  .sources colgroup, .sources tr.head { display: none; }
  .sources tr { padding: .4rem 0; border-bottom: 1px solid #ddd; } .sources td { border: 0; padding: .1rem 0; overflow-wrap: anywhere; }
  .sources td::before { content: attr(data-label) ": "; color: #666; }
}
.error { color: #a00; } [data-state=completed] { color: #070; } [data-state=failed] { color: #a00; }
.body p { line-height: 1.5; }
`;

export const READER_JS = `"use strict";
(function () {
  var view = document.getElementById("view");
  var form = document.getElementById("refetch");
  var statusLine = document.getElementById("refetch-status");
  var TOKEN_KEY = "copydesk.token";

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

  function api(path, options) {
    options = options || {};
    var headers = { accept: "application/json" };
    if (options.body) headers["content-type"] = "application/json";
    if (token()) headers.authorization = "Bearer " + token();
    return fetch(path, { method: options.method || "GET", headers: headers, body: options.body }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) {
          var message = body && body.message ? body.message : "HTTP " + response.status;
          var error = new Error(message);
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  function externalLink(url, text) {
    var href = safeHref(url);
    return href ? el("a", { href: href, rel: "noopener noreferrer nofollow" }, [text || url]) : document.createTextNode(text || url);
  }

  function siteOfUrl(url) {
    try { return new URL(url).hostname.replace(/^www\\d?\\./, ""); } catch (e) { return ""; }
  }

  function date(value) {
    if (!value) return "";
    var parsed = new Date(value);
    return isNaN(parsed.getTime()) ? value : parsed.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function show(children) {
    view.replaceChildren.apply(view, children);
  }

  function showError(error) {
    show([el("p", { class: "error" }, [error.message])]);
  }

  var FILTERS = ["q", "site", "language"];

  function listHash(values) {
    var query = new URLSearchParams();
    FILTERS.forEach(function (name) { if (values[name]) query.set(name, values[name]); });
    var text = query.toString();
    return "#/" + (text ? "?" + text : "");
  }

  function filterLink(name, value, text, params) {
    var values = {};
    FILTERS.forEach(function (key) { values[key] = params.get(key) || ""; });
    values[name] = value;
    return el("a", { href: listHash(values), "data-filter": name }, [text]);
  }

  function filtersForm(params) {
    function field(name, label, attributes) {
      var input = el("input", Object.assign({ name: name }, attributes));
      input.value = params.get(name) || "";
      return el("label", name === "q" ? { class: "query" } : {}, [label, input]);
    }
    var form = el("form", { id: "filters", role: "search", autocomplete: "off" }, [
      field("q", "Search", { type: "search", placeholder: "Words in title, standfirst or body" }),
      field("site", "Site", { list: "desk-sites", placeholder: "e.g. wsj.com" }),
      field("language", "Language", { list: "desk-languages", placeholder: "e.g. en", pattern: "[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*" }),
      el("span", { class: "actions" }, [el("button", { type: "submit" }, ["Apply"]), el("a", { href: "#/" }, ["Clear"])]),
      el("datalist", { id: "desk-sites" }, []),
      el("datalist", { id: "desk-languages" }, []),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = {};
      FILTERS.forEach(function (name) { values[name] = form.elements[name].value.trim(); });
      location.hash = listHash(values);
    });
    return form;
  }

  function fact(name, label, children) {
    return el("div", { class: "fact " + name }, [el("dt", {}, [label]), el("dd", {}, children)]);
  }

  function paywallMark(story) {
    if (story.truncatedCopies === 0) return el("span", { class: "mark free" }, ["none"]);
    var text = story.truncatedCopies === story.copies ? "Paywalled" : story.truncatedCopies + " of " + story.copies + " teasers";
    return el("span", { class: "mark paywall", title: "Copies whose body is a paywall teaser" }, [text]);
  }

  function originText(origin) {
    if (!origin) return [el("span", { class: "host" }, ["not recorded"])];
    var label = origin.name || origin.site || "unknown";
    var out = [origin.url ? externalLink(origin.url, label) : label];
    if (origin.site && origin.site !== label) out.push(" ", el("span", { class: "host" }, [origin.site]));
    if (origin.role !== "origin") out.push(" ", el("span", { class: "host" }, ["(" + origin.role + ")"]));
    return out;
  }

  function storyItem(story, params) {
    var copies = story.copies + (story.copies === 1 ? " copy" : " copies");
    var site = [filterLink("site", story.site, story.publisher || story.site, params)];
    if (story.publisher) site.push(" ", el("span", { class: "host" }, [story.site]));
    return el("li", {
      "data-story-id": story.storyId,
      "data-copies": String(story.copies),
      "data-truncated": String(story.truncatedCopies),
      "data-language": story.language || "",
    }, [
      el("a", { class: "title", href: "#/stories/" + encodeURIComponent(story.storyId) }, [story.title || story.url]),
      story.standfirst ? el("p", { class: "summary" }, [story.standfirst]) : null,
      el("dl", { class: "facts" }, [
        fact("site", "Site", site),
        fact("copies", "Copies", [el("span", { title: story.copySites.join(", ") }, [copies]), story.namedCopies ? " (+" + story.namedCopies + " named)" : null]),
        fact("origin", "Origin", originText(story.origin)),
        fact("paywall", "Paywall", [paywallMark(story)]),
        fact("language", "Language", [story.language ? filterLink("language", story.language, story.language, params) : "unknown"]),
        fact("date", story.publishedAt ? "Published" : "Updated", [date(story.publishedAt || story.updatedAt)]),
      ]),
    ]);
  }

  function fillOptions(list, values) {
    list.replaceChildren.apply(list, values.map(function (value) { return el("option", { value: value }, []); }));
  }

  function renderList(params) {
    var query = new URLSearchParams();
    FILTERS.forEach(function (name) { if (params.get(name)) query.set(name, params.get(name)); });
    var filtered = query.toString() !== "";
    var form = filtersForm(params);
    var results = el("div", { id: "results" }, [el("p", {}, ["Loading…"])]);
    show([el("h1", {}, ["Stories"]), form, results]);
    return api("/reader/stories.json" + (filtered ? "?" + query.toString() : "")).then(function (desk) {
      fillOptions(form.querySelector("#desk-sites"), desk.sites);
      fillOptions(form.querySelector("#desk-languages"), desk.languages);
      if (!desk.stories.length) {
        results.replaceChildren(el("p", { class: "empty" }, [filtered ? "No stories match these filters." : "No stories stored yet: re-fetch a URL."]));
        return;
      }
      var count = desk.stories.length + (desk.stories.length === 1 ? " story" : " stories") + (filtered ? " match" : ", newest change first");
      results.replaceChildren(
        el("p", { class: "meta count" }, [count]),
        el("ul", { class: "stories" }, desk.stories.map(function (story) { return storyItem(story, params); })),
      );
    }).catch(function (error) {
      results.replaceChildren(el("p", { class: "error" }, [error.message]));
    });
  }

  function leadFigure(record) {
    var image = record.images.filter(function (i) { return i.isLead; })[0] || record.images[0];
    if (!image || !safeHref(image.url)) return null;
    var caption = [image.caption, image.credit ? "Credit: " + image.credit : null].filter(Boolean).join(" ");
    return el("figure", {}, [
      el("img", { src: safeHref(image.url), alt: image.alt || "", loading: "lazy", referrerpolicy: "no-referrer" }),
      caption ? el("figcaption", {}, [caption]) : null,
    ]);
  }

  function provenanceChain(record) {
    if (!record.provenance.length) return el("p", { class: "meta" }, ["No provenance recorded."]);
    return el("ol", { class: "chain" }, record.provenance.map(function (p) {
      return el("li", { "data-role": p.role }, [p.role + ": ", p.url ? externalLink(p.url, p.name || p.url) : (p.name || "unknown")]);
    }));
  }

  function sourcesTable(story, storyId) {
    var cell = function (label, children) { return el("td", { "data-label": label }, children); };
    return el("table", { class: "sources" }, [
      el("colgroup", {}, [el("col", { class: "role" }), el("col", { class: "site" }), el("col", { class: "copy" }), el("col", { class: "link" })]),
      el("tr", { class: "head" }, [el("th", {}, ["Role"]), el("th", {}, ["Site"]), el("th", {}, ["Copy"]), el("th", {}, ["Linked by"])]),
    ].concat(story.sources.map(function (s) {
      var copy = s.articleId
        ? el("a", { href: "#/stories/" + encodeURIComponent(storyId) + "/" + encodeURIComponent(s.articleId) }, [s.name || s.site])
        : externalLink(s.url, (s.name || s.site) + " (not stored)");
      return el("tr", {}, [cell("Role", [s.role]), cell("Site", [s.site]), cell("Copy", [copy]), cell("Linked by", [s.link || s.evidence.join(", ")])]);
    })));
  }

  var FIELD_LABELS = { title: "Title", standfirst: "Standfirst", authors: "Authors", publishedAt: "Published", modifiedAt: "Modified", body: "Text" };

  function diffView(segments) {
    return el("p", { class: "diff" }, segments.map(function (segment) {
      if (segment.op === "insert") return el("ins", {}, [segment.text]);
      if (segment.op === "delete") return el("del", {}, [segment.text]);
      return document.createTextNode(segment.text);
    }));
  }

  function revisionsList(changes) {
    return el("ol", { class: "revisions" }, changes.revisions.map(function (r) {
      var changed = r.revision === 1 ? "first seen" : r.changedFields.length ? "changed " + r.changedFields.join(", ") : "no text change";
      return el("li", { "data-revision": String(r.revision) }, [
        el("span", {}, ["Revision " + r.revision + " · " + date(r.recordedAt) + " · " + changed]),
      ].concat(r.changes.map(function (change) {
        return el("div", { class: "change", "data-field": change.field }, [
          el("h3", {}, [FIELD_LABELS[change.field] || change.field]),
          diffView(change.segments),
        ]);
      })));
    }));
  }

  function renderStory(storyId, articleId) {
    return api("/v1/stories/" + encodeURIComponent(storyId)).then(function (story) {
      var chosen = articleId || story.metadataFrom;
      return Promise.all([
        api("/v1/articles/" + encodeURIComponent(chosen)),
        api("/reader/articles/" + encodeURIComponent(chosen) + "/changes.json"),
      ]).then(function (results) {
        var stored = results[0];
        var record = stored.record;
        var isStory = !articleId;
        var title = (isStory ? story.title : record.title) || record.url;
        var dates = [
          record.publishedAt ? "Published " + date(record.publishedAt) : null,
          record.modifiedAt ? "Updated " + date(record.modifiedAt) : null,
          "Stored revision " + stored.revision + " · " + date(stored.updatedAt),
        ].filter(Boolean).join(" · ");
        var body = (isStory ? story.body.text : record.body.text).split(/\\n\\s*\\n/).filter(Boolean).slice(0, 60);
        show([
          el("p", {}, [el("a", { href: "#/" }, ["← All stories"])]),
          el("article", { "data-story-id": story.storyId, "data-article-id": stored.articleId }, [
            el("h1", {}, [title]),
            (isStory ? story.standfirst : record.standfirst) ? el("p", { class: "standfirst" }, [isStory ? story.standfirst : record.standfirst]) : null,
            el("p", { class: "byline" }, [(isStory ? story.byline : record.byline) || record.authors.join(", ") || "No byline"]),
            el("p", { class: "meta dates" }, [dates]),
            el("p", { class: "meta facts-line" }, [
              [record.publisher, siteOfUrl(record.url), record.language].filter(Boolean).join(" · ") + " · ",
              record.paywall.truncated ? el("span", { class: "mark paywall" }, ["Paywall teaser"]) : null,
              record.paywall.truncated ? " · " : null,
              externalLink(record.url, "original"),
            ]),
            leadFigure(record),
            el("h2", {}, ["Provenance"]),
            provenanceChain(record),
            el("h2", {}, ["Sources"]),
            sourcesTable(story, story.storyId),
            el("h2", {}, ["Revisions"]),
            revisionsList(results[1]),
            el("h2", {}, ["Text"]),
            el("div", { class: "body" }, body.map(function (p) { return el("p", {}, [p]); })),
          ]),
        ]);
      });
    });
  }

  function route() {
    var hash = location.hash.replace(/^#/, "") || "/";
    var queryAt = hash.indexOf("?");
    var path = queryAt >= 0 ? hash.slice(0, queryAt) : hash;
    var params = new URLSearchParams(queryAt >= 0 ? hash.slice(queryAt + 1) : "");
    var parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    var done = parts[0] === "stories" && parts[1] ? renderStory(parts[1], parts[2]) : renderList(params);
    done.catch(showError);
  }

  function setStatus(state, children) {
    statusLine.setAttribute("data-state", state);
    statusLine.replaceChildren.apply(statusLine, children);
  }

  function poll(jobId) {
    api("/v1/jobs/" + encodeURIComponent(jobId)).then(function (job) {
      if (job.state === "completed") {
        var r = job.result;
        var link = r && r.storyId && r.articleId
          ? el("a", { href: "#/stories/" + encodeURIComponent(r.storyId) + "/" + encodeURIComponent(r.articleId) }, ["open it"])
          : null;
        setStatus("completed", ["Done (" + (r ? r.outcome : "stored") + "). ", link]);
        if (link && location.hash.replace(/^#/, "") === "/") route();
      } else if (job.state === "failed") {
        setStatus("failed", ["Failed: " + (job.failedReason || "unknown reason")]);
      } else {
        setStatus("pending", ["Job " + jobId + ": " + job.state + "…"]);
        setTimeout(function () { poll(jobId); }, 500);
      }
    }).catch(function (error) { setStatus("failed", [error.message]); });
  }

  form.elements.token.value = token();
  // When reads need a token too, entering it is enough to load the page again with it.
  form.elements.token.addEventListener("change", function () {
    sessionStorage.setItem(TOKEN_KEY, form.elements.token.value.trim());
    route();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, form.elements.token.value.trim());
    setStatus("pending", ["Queueing…"]);
    var body = JSON.stringify({ url: form.elements.url.value.trim(), force: form.elements.force.checked });
    api("/v1/refetch", { method: "POST", body: body }).then(function (accepted) {
      setStatus("pending", ["Queued as job " + accepted.jobId + "…"]);
      poll(accepted.jobId);
    }).catch(function (error) { setStatus("failed", [error.message]); });
  });

  window.addEventListener("hashchange", route);
  route();
})();
`;

/**
 * The reader page at /: plain HTML, CSS and a little vanilla JavaScript over the JSON API, no build
 * step. Kept as strings so the compiled package needs no asset copying.
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
header { display: flex; justify-content: space-between; align-items: baseline; padding: .75rem 1.5rem; background: #111; }
header a { color: #eee; } .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 2rem; padding: 1.5rem; max-width: 72rem; margin: auto; }
@media (max-width: 50rem) { main { grid-template-columns: 1fr; } }
form label { display: block; margin: .5rem 0; } form label.inline { display: flex; gap: .4rem; }
form input[type=url], form input[type=password] { width: 100%; box-sizing: border-box; padding: .35rem; }
.stories { list-style: none; padding: 0; } .stories li { margin: 0 0 1rem; }
.stories a { font-weight: 600; } .meta { color: #666; font-size: .9rem; }
.standfirst { font-size: 1.15rem; color: #333; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; } figcaption { color: #555; font-size: .9rem; }
.chain { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; }
.chain li { border: 1px solid #ccc; border-radius: .3rem; padding: .3rem .6rem; background: #fff; }
.chain li + li::before { content: "→ "; color: #888; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #ddd; }
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

  function date(value) {
    if (!value) return "";
    var parsed = new Date(value);
    return isNaN(parsed.getTime()) ? value : parsed.toLocaleString();
  }

  function show(children) {
    view.replaceChildren.apply(view, children);
  }

  function showError(error) {
    show([el("p", { class: "error" }, [error.message])]);
  }

  function renderList(params) {
    var query = new URLSearchParams({ limit: "100" });
    if (params.get("q")) query.set("q", params.get("q"));
    return api("/v1/feed.json?" + query.toString()).then(function (feed) {
      var seen = {};
      var items = feed.items.filter(function (item) {
        var story = item._copydesk.story_id;
        if (seen[story]) return false;
        seen[story] = true;
        return true;
      });
      var search = el("form", { id: "search" }, [el("input", { name: "q", type: "search", placeholder: "Search articles" }), el("button", { type: "submit" }, ["Search"])]);
      search.elements.q.value = params.get("q") || "";
      search.addEventListener("submit", function (event) {
        event.preventDefault();
        location.hash = "#/?q=" + encodeURIComponent(search.elements.q.value);
      });
      var list = el("ul", { class: "stories" }, items.map(function (item) {
        var meta = [item._copydesk.publisher, date(item.date_published)].filter(Boolean).join(" · ");
        return el("li", {}, [
          el("a", { href: "#/stories/" + encodeURIComponent(item._copydesk.story_id) }, [item.title || item.url]),
          el("div", { class: "meta" }, [meta]),
          item.summary ? el("div", {}, [item.summary]) : null,
        ]);
      }));
      show([el("h1", {}, ["Stories"]), search, items.length ? list : el("p", {}, ["No stories stored yet: re-fetch a URL."])]);
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
    return el("table", { class: "sources" }, [
      el("tr", {}, [el("th", {}, ["Role"]), el("th", {}, ["Site"]), el("th", {}, ["Copy"]), el("th", {}, ["Linked by"])]),
    ].concat(story.sources.map(function (s) {
      var copy = s.articleId
        ? el("a", { href: "#/stories/" + encodeURIComponent(storyId) + "/" + encodeURIComponent(s.articleId) }, [s.name || s.site])
        : externalLink(s.url, (s.name || s.site) + " (not stored)");
      return el("tr", {}, [el("td", {}, [s.role]), el("td", {}, [s.site]), el("td", {}, [copy]), el("td", {}, [s.link || s.evidence.join(", ")])]);
    })));
  }

  function revisionsList(revisions) {
    return el("ol", { class: "revisions" }, revisions.items.map(function (r) {
      var changed = r.changedFields.length ? "changed " + r.changedFields.join(", ") : "first seen";
      return el("li", {}, ["Revision " + r.revision + " · " + date(r.recordedAt) + " · " + changed]);
    }));
  }

  function renderStory(storyId, articleId) {
    return api("/v1/stories/" + encodeURIComponent(storyId)).then(function (story) {
      var chosen = articleId || story.metadataFrom;
      return Promise.all([
        api("/v1/articles/" + encodeURIComponent(chosen)),
        api("/v1/articles/" + encodeURIComponent(chosen) + "/revisions"),
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
            el("p", { class: "meta" }, [record.publisher || "", " · ", externalLink(record.url, "original")]),
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

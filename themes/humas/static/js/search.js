/* Search page: asks the Pagefind bundles for pages in this page's language. The index is
   split into bundles (one per month or year, see sitegen/search.py) listed in bundles.json;
   the first is loaded and the others merged into it. Reading needs no script: the others
   (the menu on a phone, copying a link) only add to pages that work without them. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var data = form.dataset;
  var engine = null;
  /* The count's texts by plural form (one, few, many, other...), or, from a site's own
     search.html written before, the pair of old: the text for exactly 1 and the rest. */
  var counts = data.countForms ? JSON.parse(data.countForms) : { "=1": data.countOne, other: data.count };

  /* The count in the form the page's language uses for n: the browser knows each
     language's plural rules (CLDR's, as the build's). */
  function count(n) {
    var form = "other";
    try {
      form = new Intl.PluralRules(document.documentElement.lang).select(n);
    } catch (e) { /* a language the browser cannot name: its other form */ }
    return counts["=" + n] || counts[form] || counts.other;
  }

  function bundles() {
    return fetch(data.bundle + "bundles.json").then(function (response) {
      /* 404: a site built without search; anything else is a failure to try again */
      if (!response.ok) throw Object.assign(new Error("no bundle list"), { missing: response.status === 404 });
      return response.json();
    }).then(function (listed) {
      return listed[document.documentElement.lang] || [];
    });
  }

  function load() {
    if (!engine) {
      engine = bundles().then(function (names) {
        if (!names.length) return null; /* nothing published in this language yet */
        return import(data.bundle + names[0] + "pagefind.js").then(function (pf) {
          return pf.options({ excerptLength: 30 }).then(function () {
            return Promise.all(names.slice(1).map(function (name) {
              return pf.mergeIndex(data.bundle + name);
            }));
          }).then(function () { return pf; });
        });
      }).catch(function (error) {
        engine = null; /* offline for a moment: the next search loads it again */
        throw error;
      });
    }
    return engine;
  }

  /* Pagefind marks hits with <mark>; keep those and treat everything else as text. */
  function excerpt(html) {
    var out = document.createElement("p");
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function show(item) {
    var li = document.createElement("li");
    var h2 = document.createElement("h2");
    var a = document.createElement("a");
    a.href = item.url;
    a.textContent = (item.meta && item.meta.title) || item.url;
    h2.appendChild(a);
    li.appendChild(h2);
    if (item.meta && item.meta.date) {
      var date = document.createElement("p");
      date.className = "meta";
      date.textContent = item.meta.date;
      li.appendChild(date);
    }
    li.appendChild(excerpt(item.excerpt || ""));
    return li;
  }

  /* Results of several searches in turn, each page once. */
  function joined(searches) {
    var seen = {};
    return searches.reduce(function (all, found) { return all.concat(found.results); }, [])
      .filter(function (r) {
        if (seen[r.id]) return false;
        seen[r.id] = true;
        return true;
      });
  }

  /* ``results`` in the order of ``ranked`` (Pagefind's relevance: a word in the title
     above the same word in the text), those it lacks after, as they came. An exact search
     scores every page it finds alike, so its own order is only the bundles'. */
  function byRank(results, ranked) {
    var place = {};
    ranked.forEach(function (r, i) { place[r.id] = i; });
    return results.map(function (r, i) { return [r, r.id in place ? place[r.id] : ranked.length + i]; })
      .sort(function (a, b) { return a[1] - b[1]; })
      .map(function (pair) { return pair[0]; });
  }

  /* Pages holding the words exactly as typed come first, the most relevant of them first:
     a release number such as HM.01.02-117 is otherwise scored by its parts (hm, 01, 02,
     117) and beaten by pages that merely share one of them. A query that is a release's
     number (the build gives each page its number as metadata) finds that release, then the
     pages quoting it, and no page that only shares its parts. */
  function find(pf, query) {
    if (query.indexOf('"') >= 0) return pf.search(query);
    return Promise.all([pf.search('"' + query + '"'), pf.search(query)]).then(function (both) {
      var quoting = byRank(both[0].results, both[1].results);
      both = [{ results: quoting }, both[1]];
      /* Shaped like a release number (HM.01.02-117, 045/123/2024): a digit and a mark
         between parts, no space; a plain "2024" costs no reading of results' data. */
      var asNumber = /\d/.test(query) && /[.\/\-]/.test(query) && !/\s/.test(query) && quoting.length;
      if (!asNumber) return { results: joined(both) };
      var wanted = query.toUpperCase();
      return Promise.all(quoting.slice(0, 20).map(function (r) { return r.data(); })).then(function (items) {
        var own = quoting.filter(function (r, i) {
          var number = items[i] && items[i].meta && items[i].meta.number;
          return number && number.toUpperCase() === wanted;
        });
        return { results: joined(own.length ? [{ results: own }, both[0]] : both) };
      });
    });
  }

  function search(query) {
    list.replaceChildren();
    query = query.trim();
    if (!query) { status.textContent = ""; return; }
    status.textContent = data.searching;
    load().then(function (pf) {
      return pf ? find(pf, query) : { results: [] };
    }).then(function (found) {
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }))
        .then(function (items) {
          items.forEach(function (item) { list.appendChild(show(item)); });
          var n = found.results.length;
          var text = n ? count(n) : data.none;
          /* split and join: replace() would read "$&" in a query as a pattern */
          status.textContent = text.split("{n}").join(String(n)).split("{q}").join(query);
        });
    }).catch(function (error) {
      /* a page of a site's own search.html written before has no data-failed */
      status.textContent = (error && error.missing) || !data.failed ? data.unavailable : data.failed;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(query.trim()));
    search(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();

// The excerpt under a search result: the lesson's own text (not the notes its figures and
// terms open, nor its quizzes) around the first word found, with the words found marked.
// Sphinx looks for the words as typed, which misses "mật khẩu" for "mat khau", and marks them
// inside other words ("an" in "Thanh"). Here the text is folded letter by letter with the
// search language's own Stemmer (language_data.js: diacritics off, đ as d, lower case), so
// positions in the folded text are positions in the text.
(function () {
  "use strict";
  var LEFT_OUT = ".headerlink, script, style, .note, .bq, noscript";
  var stemmer = new Stemmer();
  var foldChar = function (c) {
    var f = stemmer.stemWord(c);
    return f.length === 1 ? f : c;
  };
  var fold = function (s) {
    return Array.prototype.map.call(s, foldChar).join("");
  };
  var escapeRe = function (s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  };
  var pageText = function (htmlText, anchor) {
    var doc = new DOMParser().parseFromString(htmlText, "text/html");
    doc.querySelectorAll(LEFT_OUT).forEach(function (el) { el.remove(); });
    var main = doc.querySelector('[role="main"]');
    var part = main && anchor ? main.querySelector(anchor) : null;
    return ((part || main || doc.body).textContent || "").replace(/\s+/g, " ").trim();
  };
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    var text = pageText(htmlText, anchor);
    if (text === "") return null;
    var words = Array.from(keywords).map(fold).filter(Boolean);
    if (!words.length) return null;
    // Whole words only: not preceded or followed by a letter or digit.
    var any = new RegExp("(^|[^\\p{L}\\p{N}])(" + words.map(escapeRe).join("|") +
      ")(?![\\p{L}\\p{N}])", "gu");
    var haystack = fold(text), found = [], match;
    while ((match = any.exec(haystack)) !== null) {
      found.push([match.index + match[1].length, match[2].length]);
      any.lastIndex = match.index + match[0].length;
    }
    var phrase = haystack.indexOf(words.join(" "));
    var first = phrase > -1 ? phrase : (found.length ? found[0][0] : 0);
    var start = Math.max(first - 120, 0), end = Math.min(start + 240, text.length);
    var summary = document.createElement("p");
    summary.classList.add("context");
    summary.append(start > 0 ? "…" : "");
    var at = start;
    found.forEach(function (hit) {
      if (hit[0] < at || hit[0] + hit[1] > end) return;
      summary.append(text.slice(at, hit[0]));
      summary.appendChild(document.createElement("mark")).textContent =
        text.slice(hit[0], hit[0] + hit[1]);
      at = hit[0] + hit[1];
    });
    summary.append(text.slice(at, end) + (end < text.length ? "…" : ""));
    return summary;
  };
})();

// The excerpt under a search result, around the first word found: Sphinx looks for the words
// as typed, which misses "mật khẩu" for "mat khau". Here the page text is folded letter by
// letter (diacritics off, đ as d, lower case), so positions in it are positions in the text.
(function () {
  "use strict";
  var foldChar = function (c) {
    var f = c.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u0111/g, "d")
      .replace(/\u0110/g, "D").toLowerCase();
    return f.length === 1 ? f : c;
  };
  var fold = function (s) {
    return Array.prototype.map.call(s, foldChar).join("");
  };
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    var text = Search.htmlToText(htmlText, anchor).replace(/\s+/g, " ");
    if (text === "") return null;
    var haystack = fold(text);
    // The words as typed together first, then each word on its own (a whole word).
    var words = Array.from(keywords).map(fold);
    var at = haystack.indexOf(words.join(" "));
    var wordAt = function (word) {
      var re = new RegExp("(^|[^\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") +
        "(?![\\p{L}\\p{N}])", "u");
      var found = re.exec(haystack);
      return found ? found.index + found[1].length : -1;
    };
    var starts = at > -1 ? [at] : words.map(wordAt).filter(function (i) { return i > -1; });
    var start = Math.max((starts.length ? Math.min.apply(null, starts) : 0) - 120, 0);
    var summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent = (start > 0 ? "…" : "") + text.substr(start, 240).trim() +
      (start + 240 < text.length ? "…" : "");
    return summary;
  };
})();

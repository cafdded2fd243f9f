// builder serve: reloads the page when a build succeeds; shows the problems of one that
// failed over the page (the last good site stays served). Injected by the preview server
// only; never part of the built site.
(function () {
  "use strict";
  var seen = null;
  var box = null;

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  function show(problems) {
    hide();
    box = document.createElement("div");
    box.id = "builder-serve-problems";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#3b0d0c;color:#fff;font:14px/1.5 monospace;padding:12px 16px;" +
      "border-top:4px solid #e5484d;white-space:pre-wrap";
    var title = document.createElement("strong");
    title.textContent = document.documentElement.lang === "vi"
      ? "Bản dựng lỗi; trang này là bản tốt gần nhất. Sửa rồi lưu:"
      : "The build failed; this page is the last good one. Fix and save:";
    box.appendChild(title);
    problems.forEach(function (line) {
      var item = document.createElement("div");
      item.textContent = line;
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }

  var events = new EventSource("/__builder__/events");
  events.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (seen !== null && state.build !== seen) {
      location.reload();
      return;
    }
    seen = state.build;
    if (state.problems.length && !state.ok) {
      show(state.problems);
    } else {
      hide();
    }
  };
})();

// The book's front page: each lesson's progress from the answers this browser keeps (quiz.js
// saves them as bq:<course key>:<question id>), and a button that clears them for the next
// person at a shared computer. A classic script, so that it runs from file:// too.
(() => {
  const home = document.getElementById("bq-home");
  if (!home) return;
  const data = JSON.parse(home.querySelector("script").textContent), S = data.strings, pre = "bq:" + data.key + ":";
  const keys = () => { try { return Object.keys(localStorage).filter((k) => k.startsWith(pre)); } catch (e) { return []; } };
  const read = (id) => { try { return JSON.parse(localStorage[pre + id] || null); } catch (e) { return null; } };
  const draw = () => {
    for (const el of document.querySelectorAll("[data-bq-lesson]")) {
      const ids = data.lessons[el.dataset.bqLesson] || [], done = ids.map(read).filter((s) => s && s.response != null);
      const n = { done: done.length, total: ids.length, right: done.filter((s) => s.right && !s.revealed).length };
      el.textContent = n.done ? " " + S.progress.replace(/\{(\w+)\}/g, (m, k) => n[k]) : "";
    }
    home.hidden = !keys().some((k) => k != pre + "seed");
  };
  home.querySelector("button").onclick = () => {
    if (!confirm(S.confirm)) return;
    // This course's answers, from this version and earlier ones (bq:<course>@<version>:...).
    const course = "bq:" + data.key.split("@")[0] + "@";
    try { Object.keys(localStorage).filter((k) => k.startsWith(course)).forEach((k) => localStorage.removeItem(k)); } catch (e) {}
    draw();
    const said = document.getElementById("bq-said");
    said.textContent = S.cleared;
    said.focus();
  };
  draw();
  // Back from a lesson (a page restored from the browser's cache) or answers given in another tab.
  addEventListener("pageshow", draw);
  addEventListener("storage", draw);
})();

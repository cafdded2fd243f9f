// SCORM launcher (see docs/architecture.md, "LMS exports"): the page an LMS opens for one SCO of
// a package (a lesson, or a module's lessons). It finds the LMS's API (SCORM 1.2 `API` or 2004
// `API_1484_11`), puts the learner's saved answers back where quiz.js keeps them (this
// browser's localStorage), then shows the book's own pages in a frame. quiz.js is not changed:
// each answer it keeps fires a `storage` event here, and this script reports the score, the
// status, the question as an interaction and the answers (suspend data) to the LMS. Without an
// LMS it opens the book's page itself, which behaves as in the book. A classic script; every
// call to the LMS is guarded, so that an LMS's error never stops the lesson.
(() => {
  const C = JSON.parse(document.getElementById("bq-sco").textContent), v12 = C.version == "1.2";
  const frame = document.getElementById("bq-page");
  const find = (name) => {
    for (let w = window, n = 0; w && n < 500; n++) {
      try { if (w[name]) return w[name]; } catch (e) {}
      if (w.parent && w.parent != w) w = w.parent;
      else w = w.opener && w.opener != w ? w.opener : null;
    }
    return null;
  };
  const api = find(v12 ? "API" : "API_1484_11");
  if (!api) {
    location.replace(C.pages[0]);
    return;
  }
  const call = (f, ...a) => { try { return String(api[(v12 ? "LMS" : "") + f](...a)); } catch (e) { return ""; } };
  const get = (k) => call("GetValue", k), set = (k, val) => call("SetValue", k, String(val));
  const E = v12
    ? { status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max", exit: "cmi.core.exit", time: "cmi.core.session_time", result: ["correct", "wrong"], sep: ",", pair: "." }
    : { raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max", exit: "cmi.exit", time: "cmi.session_time", result: ["correct", "incorrect"], sep: "[,]", pair: "[.]" };
  const key = C.key, qs = C.questions, started = Date.now();
  const store = {
    read(id) { try { return JSON.parse(localStorage[key + id] || "null"); } catch (e) { return null; } },
    seed() { try { return localStorage[key + "seed"] || ""; } catch (e) { return ""; } },
    write(id, value) { try { value == null ? localStorage.removeItem(key + id) : (localStorage[key + id] = value); } catch (e) {} },
  };
  call("Initialize", "");
  // The answers this learner left (suspend data), in place of any this browser holds from
  // someone else at a shared computer: [seed, {question index: [response, tries, revealed]}].
  let saved = null;
  try { saved = JSON.parse(get("cmi.suspend_data") || "null"); } catch (e) {}
  if (!Array.isArray(saved)) saved = null;
  if (saved && saved[0]) store.write("seed", saved[0]);
  qs.forEach((q, i) => {
    const s = saved && saved[1] && saved[1][i];
    store.write(q.id, Array.isArray(s) ? JSON.stringify({ response: s[0], tries: s[1] || 0, revealed: !!s[2], right: !!s[3] }) : null);
  });
  const mastery = () => {
    const lms = parseFloat(get(v12 ? "cmi.student_data.mastery_score" : "cmi.scaled_passing_score"));
    return isNaN(lms) ? C.mastery : v12 ? lms : lms * 100;
  };
  const states = () => qs.map((q) => store.read(q.id));
  const seen = new Set(saved && saved[2] ? saved[2] : []);
  // Questions whose answer the learner has been shown in this attempt: not counted right even
  // if answered right after "Làm lại" (the book's quizzes are practice; the LMS's score is not).
  const shown = new Set(saved && saved[3] ? saved[3] : []);
  let last = states().map((s) => JSON.stringify(s)), final = false; // final: a result was reported

  // SCORM 1.2 writes matches and steps as single characters (0-9, a-z): p0 -> 0, p11 -> b.
  const one = (id) => (v12 && /^p\d+$/.test(id) && id.slice(1) < 36 ? Number(id.slice(1)).toString(36) : id);
  const response = (q, r) => {
    const t = q.type;
    if (t == "true-false") return v12 ? (r ? "t" : "f") : String(!!r);
    if (t == "choice") return [].concat(r).sort().join(E.sep);
    if (t == "sequencing") return r.map(one).join(E.sep);
    if (t == "matching") return Object.keys(r).sort((a, b) => a.slice(1) - b.slice(1)).map((k) => one(k) + E.pair + one(r[k])).join(E.sep);
    if (t == "numeric") {
      let d = String(r).replace(/\s+/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
      d = C.decimal == "," ? d.replace(/\./g, "").replace(",", ".") : d.replace(/,/g, "");
      return v12 || /^-?\d{1,10}(\.\d{1,18})?$/.test(d) ? d : null;
    }
    const text = String(r).replace(/\[[,.]\]/g, " ").replace(/^\{/, "(").slice(0, 250);
    return text;
  };
  const pad = (n) => String(n).padStart(2, "0");
  const interaction = (q, st) => {
    const n = get("cmi.interactions._count") || "0", at = "cmi.interactions." + n + ".", now = new Date();
    set(at + "id", q.id);
    set(at + "type", q.type);
    const r = response(q, st.response);
    if (r != null) set(at + (v12 ? "student_response" : "learner_response"), r);
    if (q.pattern != null) set(at + "correct_responses.0.pattern", q.pattern);
    set(at + "result", E.result[st.right ? 0 : 1]);
    set(at + "weighting", 1);
    if (v12) set(at + "time", [now.getHours(), now.getMinutes(), now.getSeconds()].map(pad).join(":"));
    else {
      set(at + "timestamp", now.getFullYear() + "-" + [now.getMonth() + 1, now.getDate()].map(pad).join("-") + "T" + [now.getHours(), now.getMinutes(), now.getSeconds()].map(pad).join(":"));
      if (q.text) set(at + "description", q.text);
    }
  };
  const report = () => {
    const all = states(), total = qs.length;
    const right = all.filter((s, i) => s && s.right && !s.revealed && !shown.has(i)).length;
    const answered = all.filter((s) => s && (s.response != null || s.revealed)).length;
    const done = total ? answered == total : C.pages.every((p) => seen.has(p));
    // The score only once every question is answered: an LMS that knows the mastery score
    // turns any score it holds into passed or failed, and an unfinished lesson is neither.
    if (total && done) {
      const raw = Math.round((100 * right) / total), passed = raw >= mastery();
      set(E.min, 0);
      set(E.max, 100);
      set(E.raw, raw);
      if (v12) set(E.status, passed ? "passed" : "failed");
      else {
        set("cmi.score.scaled", (right / total).toFixed(4).replace(/\.?0+$/, "") || "0");
        set("cmi.completion_status", "completed");
        set("cmi.success_status", passed ? "passed" : "failed");
      }
    } else if (done) set(v12 ? E.status : "cmi.completion_status", "completed");
    else if (!final) set(v12 ? E.status : "cmi.completion_status", "incomplete");
    final = final || done;
    // Suspend data: SCORM 1.2 holds 4,096 characters; a text answer too long for it is left out.
    const kept = {};
    all.forEach((s, i) => s && (kept[i] = [s.response ?? null, s.tries || 0, s.revealed ? 1 : 0, s.right ? 1 : 0]));
    const pack = () => JSON.stringify([store.seed(), kept, [...seen], [...shown]]);
    let data = pack();
    for (const i of Object.keys(kept).sort((a, b) => JSON.stringify(kept[b]).length - JSON.stringify(kept[a]).length)) {
      if (data.length <= C.room) break;
      kept[i] = [null, kept[i][1], 0, 0];
      data = pack();
    }
    set("cmi.suspend_data", data);
    call("Commit", "");
  };
  addEventListener("storage", (e) => {
    if (!e.key || !e.key.startsWith(key)) return;
    const now = states().map((s) => JSON.stringify(s));
    qs.forEach((q, i) => {
      const st = store.read(q.id);
      if (st && st.revealed) shown.add(i);
      if (now[i] != last[i] && st && st.response != null && !st.revealed) interaction(q, st);
    });
    if (now.join() != last.join()) (last = now), report();
  });
  // The LMS lists the other SCOs: a link to a lesson outside this one becomes its text (its
  // answers would reach no SCO). A page counts as seen once the end of its text was on screen.
  const watch = () => {
    let doc;
    try { doc = frame.contentDocument; } catch (e) { return; }
    if (!doc) return;
    for (const a of doc.querySelectorAll("a[href]")) {
      if (C.others.includes(new URL(a.href).pathname.split("/").pop())) {
        a.removeAttribute("href");
        a.title = C.elsewhere;
      }
    }
    const page = C.pages.find((p) => frame.contentWindow.location.pathname.endsWith("/" + p));
    if (!page || seen.has(page) || !doc.body) return;
    const end = doc.createElement("div");
    (doc.querySelector("main article, main, article") || doc.body).append(end);
    new frame.contentWindow.IntersectionObserver((seen_, obs) => {
      if (seen_.some((x) => x.isIntersecting)) obs.disconnect(), seen.add(page), report();
    }).observe(end);
  };
  frame.addEventListener("load", watch);
  let ended = false;
  const leave = () => {
    if (ended) return;
    ended = true;
    const s = Math.round((Date.now() - started) / 1000);
    set(E.time, v12 ? [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map(pad).join(":") : "PT" + s + "S");
    // Suspended (the LMS keeps the answers for the learner to come back to) unless passed, or
    // completed without questions.
    const over = v12
      ? /passed|completed/.test(get(E.status))
      : get("cmi.success_status") == "passed" || (!qs.length && get("cmi.completion_status") == "completed");
    set(E.exit, over ? (v12 ? "" : "normal") : "suspend");
    call("Commit", "");
    call(v12 ? "Finish" : "Terminate", "");
  };
  addEventListener("pagehide", leave);
  addEventListener("beforeunload", leave);
  if (!saved) {
    set(v12 ? E.status : "cmi.completion_status", "incomplete");
    call("Commit", "");
  } else final = /passed|failed|completed/.test(get(v12 ? E.status : "cmi.completion_status"));
  frame.src = C.pages[0];
})();

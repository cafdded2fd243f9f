// Quiz front end (see docs/architecture.md): anywidget `render`, and `mountAll` for the static book.
// Grading mirrors builder/quizzes/grading.py. Question text only ever reaches the page as text nodes.

const R = "right", W = "wrong", X = "invalid";

export function parseNumber(text, dec = ",") {
  if (typeof text != "string") return null;
  let d = text.normalize("NFC").replace(/\s+/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
  if (!/^[+-]?[0-9.,]*[0-9][0-9.,]*$/.test(d)) return null;
  const grp = dec == "," ? "." : ",", both = d.includes(".") && d.includes(",");
  let pt = both ? (d.lastIndexOf(".") > d.lastIndexOf(",") ? "." : ",") : d.includes(dec) ? dec : d.includes(grp) ? grp : "";
  if (both) d = d.split(pt == "." ? "," : ".").join("");
  else if (/^[+-]?\d{1,3}([.,]\d{3})+$/.test(d) && (pt == grp || d.split(pt).length > 2)) (d = d.split(pt).join("")), (pt = "");
  if (pt) {
    if (d.split(pt).length > 2) return null;
    d = d.replace(pt, ".");
  }
  return /^[+-]?\.|\.$/.test(d) ? null : Number(d);
}

export function normalizeText(text, ignoreAccents) {
  let v = text.normalize("NFC").toLowerCase();
  if (ignoreAccents) v = v.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").normalize("NFC");
  return v.replace(/\s+/g, " ").trim();
}

export const matched = (q, r) => q.pairs.filter((p) => r[p.id] == p.id).length;

export function grade(q, r, decimal = ",") {
  const ok = (b) => (b ? R : W), t = q.type;
  if (t == "single") return typeof r == "string" && r ? ok(r == q.answer[0] && q.answer.length == 1) : X;
  if (t == "multiple") return Array.isArray(r) && r.length ? ok(r.length == new Set(r).size && r.length == q.answer.length && r.every((c) => q.answer.includes(c))) : X;
  if (t == "true-false") return typeof r == "boolean" ? ok(r == q.answer) : X;
  if (t == "numeric") {
    const n = parseNumber(r, decimal);
    return n == null ? X : ok(Number(q.answer.min) <= n && n <= Number(q.answer.max));
  }
  if (t == "text") {
    const v = typeof r == "string" ? normalizeText(r, q.ignoreAccents) : "";
    return v ? ok(q.answer.some((a) => normalizeText(a, q.ignoreAccents) == v)) : X;
  }
  if (t == "matching") return r && typeof r == "object" && q.pairs.every((p) => r[p.id]) ? ok(matched(q, r) == q.pairs.length) : X;
  if (t == "ordering") {
    const ids = q.steps.map((s) => s.id);
    return Array.isArray(r) && [...r].sort().join() == [...ids].sort().join() && r.length == ids.length ? ok(r.join() == ids.join()) : X;
  }
  throw new Error("unknown question type " + t);
}

export const score = (qs, answers, decimal) =>
  qs.filter((q) => { const s = answers[q.id]; return s && !s.revealed && grade(q, s.response, decimal) == R; }).length;

// --- rendering -------------------------------------------------------------------------------

let uid = 0;
function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...kids.flat(9).filter((k) => k != null));
  return e;
}

// The Markdown subset: **bold**, *italic*, `code`, [text](url). Links keep only relative, #
// and http(s) targets; anything else (javascript:, data:, //host, \\host) becomes plain text.
const MD = /\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
export function md(text) {
  const out = [], s = String(text ?? "");
  let last = 0;
  for (const m of s.matchAll(MD)) {
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1]) out.push(h("strong", 0, md(m[1])));
    else if (m[2]) out.push(h("em", 0, md(m[2])));
    else if (m[3]) out.push(h("code", 0, m[3]));
    else out.push(/^(https?:\/\/|#|(?![a-z][\w+.-]*:|[\/\\]{2}))/i.test(m[5]) ? h("a", { href: m[5] }, md(m[4])) : m[4]);
  }
  out.push(s.slice(last));
  return out;
}
const plain = (s) => String(s).replace(MD, (m, a, b, c, d) => a || b || c || d);
const fill = (s, o) => s.replace(/\{(\w+)\}/g, (m, k) => o[k]);
// ok: true (right), false (wrong), null (no mark); `ans` marks a right answer the learner missed.
const tick = (e, ok, S, ans) => {
  e.textContent = ok == null ? "" : ok ? "✓ " + (ans ? S.mark_answer : S.mark_right) : "✗ " + S.mark_wrong;
  e.className = "bq-mark" + (ok == null ? "" : ok ? " bq-r" : " bq-w");
  return e;
};

function rng(seed) {
  let a = [...seed].reduce((x, c) => Math.imul(x ^ c.charCodeAt(0), 16777619), 2166136261);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(list, seed) {
  const a = [...list], r = rng(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// One question: its inputs, and how to read, set and lock them.
function inputs(q, S, id, seed) {
  const t = q.type;
  if (t == "single" || t == "multiple" || t == "true-false") {
    const tf = t == "true-false";
    let cs = tf ? [{ id: true, text: S.true }, { id: false, text: S.false }] : q.choices;
    if (!tf && q.shuffle !== false) cs = shuffle(cs, seed + q.id);
    const rows = cs.map((c) => {
      const box = h("input", { type: t == "multiple" ? "checkbox" : "radio", name: id }), mark = h("span");
      return { c, box, mark, el: h("label", { class: "bq-opt" }, box, h("span", 0, md(c.text)), mark) };
    });
    const on = () => rows.filter((w) => w.box.checked).map((w) => w.c.id);
    return {
      el: rows.map((w) => w.el),
      get: () => (t == "multiple" ? on() : on().length ? on()[0] : tf ? null : ""),
      set: (r) => rows.forEach((w) => (w.box.checked = [].concat(r).includes(w.c.id))),
      lock: (b) => rows.forEach((w) => (w.box.disabled = b)),
      marks: (r, show) =>
        rows.forEach((w) => {
          const mine = r != null && [].concat(r).includes(w.c.id), good = tf ? w.c.id == q.answer : q.answer.includes(w.c.id);
          tick(w.mark, mine ? good : show && good ? true : null, S, !mine);
        }),
      focus: () => rows[0].box.focus(),
    };
  }
  if (t == "numeric" || t == "text") {
    const box = h("input", { type: "text", id, autocomplete: "off", spellcheck: "false", inputmode: t == "numeric" ? "decimal" : null });
    return {
      el: h("label", { class: "bq-line" }, S.yours + " ", h("span", { class: "bq-in" }, box, q.unit && " " + q.unit)),
      get: () => box.value,
      set: (r) => (box.value = r ?? ""),
      lock: (b) => (box.readOnly = b),
      marks() {},
      focus: () => box.focus(),
    };
  }
  if (t == "matching") {
    const opts = shuffle(q.pairs, seed + q.id);
    const rows = q.pairs.map((p, i) => {
      const sel = h("select", { id: id + "-" + i }, h("option", { value: "" }, S.choose), opts.map((o) => h("option", { value: o.id }, plain(o.match))));
      return { p, sel, mark: h("span") };
    });
    return {
      el: rows.map((w) => h("div", { class: "bq-row" }, h("label", { for: w.sel.id }, md(w.p.term)), w.sel, w.mark)),
      get: () => Object.fromEntries(rows.map((w) => [w.p.id, w.sel.value])),
      set: (r) => rows.forEach((w) => (w.sel.value = (r || {})[w.p.id] || "")),
      lock: (b) => rows.forEach((w) => (w.sel.disabled = b)),
      marks: (r) => rows.forEach((w) => tick(w.mark, r ? r[w.p.id] == w.p.id : null, S)),
      focus: () => rows[0].sel.focus(),
    };
  }
  // ordering: shown shuffled (never already in order), moved with labelled arrow buttons
  const first = shuffle(q.steps, seed + q.id);
  if (first.every((s, i) => s == q.steps[i])) first.push(first.shift());
  let order = [...first];
  const list = h("ol", { class: "bq-order" }), live = h("span", { class: "bq-sr", "aria-live": "polite" });
  let locked = false, marks = null;
  const draw = (focus) => {
    list.replaceChildren(
      ...order.map((s, i) => {
        const btn = (d, label, sign) =>
          h("button", { type: "button", class: "bq-mv", "aria-label": fill(label, { item: plain(s.text) }), disabled: locked || !order[i + d],
            onclick: () => {
              [order[i], order[i + d]] = [order[i + d], order[i]];
              live.textContent = fill(S.moved, { item: plain(s.text), n: i + d + 1, total: order.length });
              draw([s.id, d]);
            } }, sign);
        return h("li", { "data-id": s.id }, h("div", { class: "bq-step" }, h("span", 0, md(s.text), marks && tick(h("span"), marks[i], S)), h("span", { class: "bq-mvs" }, btn(-1, S.up, "↑"), btn(1, S.down, "↓"))));
      })
    );
    if (focus) {
      const [up, dn] = list.querySelectorAll(`[data-id="${focus[0]}"] button`), [a, b] = focus[1] < 0 ? [up, dn] : [dn, up];
      (a.disabled ? b : a).focus();
    }
  };
  draw();
  return {
    el: [list, live],
    get: () => order.map((s) => s.id),
    set: (r) => { order = r ? r.map((i) => q.steps.find((s) => s.id == i)).filter(Boolean) : [...first]; marks = null; draw(); },
    lock: (b) => { locked = b; draw(); },
    marks: (r) => { marks = r && r.map((i, n) => i == q.steps[n].id); draw(); },
    focus: () => list.querySelector("button:not([disabled])").focus(),
  };
}

export function render({ model, el }) {
  const data = model.get("quiz"), S = data.strings, dec = data.decimal, key = "bq:" + data.key + ":", qs = data.questions;
  let seed = "";
  try {
    seed = localStorage[key + "seed"] ||= String(Math.random()).slice(2);
  } catch (e) {}
  const id = "bq" + ++uid, total = data.questions.length;
  const sum = h("p", { class: "bq-score" }), again = h("button", { type: "button", class: "bq-btn" }, S.again);
  const answers = () => model.get("answers") || {};
  let mine = "";
  const put = (all) => {
    mine = JSON.stringify(all);
    keep(key, qs, all);
    model.set("answers", all);
    model.save_changes();
  };
  const save = (qid, st) => put({ ...answers(), [qid]: st });
  const tally = () => {
    sum.textContent = fill(S.score, { score: score(data.questions, answers(), dec), total });
    again.hidden = !data.questions.some((q) => answers()[q.id]);
  };
  const views = data.questions.map((q, n) => {
    const qid = id + "-" + n, ui = inputs(q, S, qid + "-in", seed);
    const fb = h("div", { class: "bq-fb", role: "status", "aria-live": "polite", tabindex: "-1" });
    const [check, retry, reveal] = [S.check, S.retry, S.reveal].map((t) => h("button", { type: "button", class: "bq-btn" }, t));
    const help = q.type == "multiple" ? S.all : q.type == "ordering" ? S.order : null;
    const box = h("fieldset", { class: "bq-q", id: qid, "data-q": q.id },
      h("legend", 0, h("span", { class: "bq-n" }, fill(S.q, { n: n + 1 })), " ", md(q.prompt)),
      help && h("p", { class: "bq-help" }, help), ui.el,
      q.hint && h("details", { class: "bq-hint" }, h("summary", 0, S.hint), h("p", 0, md(q.hint))),
      h("div", { class: "bq-act" }, check, retry, reveal), fb);
    // Show a saved state: open for an answer (with its inputs cleared) unless it holds one.
    const show = (st, focus) => {
      const a = st?.response != null, g = a && grade(q, st.response, dec), done = a && (g == R || st.revealed);
      ui.lock(a);
      check.hidden = a;
      retry.hidden = !a;
      reveal.hidden = !a || done || st.tries < data.revealAfter;
      fb.replaceChildren();
      box.className = "bq-q" + (a ? (g == R ? " bq-ok" : " bq-no") : "");
      if (!a) return ui.set(), ui.marks(), tally();
      ui.set(st.revealed ? q.key : st.response);
      ui.marks(st.revealed ? q.key : st.response, st.revealed);
      const lines = st.revealed ? [h("p", { class: "bq-res" }, fill(S.answer, { answer: q.solution }))] : [h("p", { class: "bq-res " + (g == R ? "bq-r" : "bq-w") }, g == R ? "✓ " + S.right : "✗ " + S.wrong)];
      if (!st.revealed) {
        const said = q.choices ? q.choices.filter((c) => [].concat(st.response).includes(c.id)).map((c) => c.feedback) : [(q.feedback || {})[g]];
        said.filter(Boolean).forEach((f) => lines.push(h("p", 0, md(f))));
        if (q.type == "matching" && g != R) lines.push(h("p", 0, fill(S.pairs, { n: matched(q, st.response), total: q.pairs.length })));
      }
      if (done) lines.push(h("p", { class: "bq-why" }, h("strong", 0, S.why), " ", md(q.explanation)));
      fb.replaceChildren(...lines);
      tally();
      if (focus) (done ? fb : retry).focus();
    };
    check.onclick = () => {
      const r = ui.get(), g = grade(q, r, dec);
      if (g == X) {
        fb.replaceChildren(h("p", { class: "bq-w" }, fill(q.type == "numeric" && r ? S.number : q.type == "matching" ? S.incomplete : S.empty, { example: data.example })));
        return;
      }
      const st = { response: r, tries: ((answers()[q.id] || {}).tries || 0) + 1, revealed: false, right: g == R };
      save(q.id, st);
      show(st, true);
    };
    // Try again: the response goes, the tries stay (they count towards "Show answer").
    retry.onclick = () => { const st = { tries: answers()[q.id].tries }; save(q.id, st); show(st); ui.focus(); };
    reveal.onclick = () => { const st = { ...answers()[q.id], revealed: true }; save(q.id, st); show(st, true); };
    return { q, box, show, ui };
  });
  const sync = () => views.forEach((v) => v.show(answers()[v.q.id] || null));
  again.onclick = () => { put({}); sync(); views[0].ui.focus(); };
  el.replaceChildren(h("section", { class: "bq-quiz", "aria-labelledby": id + "-t" }, h("h3", { id: id + "-t", class: "bq-title" }, data.title), views.map((v) => v.box), sum, again));
  // A new widget (a restarted kernel, a cell run again) takes the answers kept here.
  const back = kept(key, qs), has = (a) => Object.keys(a).length;
  has(answers()) ? keep(key, qs, answers()) : has(back) && put(back);
  sync();
  // In Jupyter, answers set from Python redraw the block.
  const onchange = () => JSON.stringify(answers()) != mine && (keep(key, qs, answers()), sync());
  model.on("change:answers", onchange);
  return () => model.off && model.off("change:answers", onchange);
}

// Answers kept in this browser, one entry per question under the course and its version: the
// book's pages and a notebook's widgets on one site share them, and a widget gets them back
// after a restart or a reload.
function kept(key, qs) {
  const a = {};
  try {
    for (const { id } of qs) if (localStorage[key + id]) a[id] = JSON.parse(localStorage[key + id]);
  } catch (e) {}
  return a;
}
function keep(key, qs, all) {
  try {
    for (const { id } of qs) all[id] ? (localStorage[key + id] = JSON.stringify(all[id])) : localStorage.removeItem(key + id);
  } catch (e) {}
}

// The static book: a model of the quiz and the kept answers, with nothing else to tell.
function localModel(quiz) {
  const d = { quiz, answers: kept("bq:" + quiz.key + ":", quiz.questions) };
  return { get: (k) => d[k], set: (k, v) => (d[k] = v), on() {}, save_changes() {} };
}

export function mountAll(root = document) {
  for (const el of root.querySelectorAll("[data-bq]:not([data-bq-on])")) {
    el.setAttribute("data-bq-on", "");
    render({ model: localModel(JSON.parse(el.querySelector("script").textContent)), el });
  }
}

export default { render };

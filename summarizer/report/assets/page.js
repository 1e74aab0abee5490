"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const MODES = { in_person: "#2563eb", phone: "#16a34a", video: "#9333ea", unknown: "#6b7280" };
  const STATUSES = ["happened", "ongoing", "planned", "cancelled"];
  const state = { from: "", to: "", statuses: new Set(STATUSES) };
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function name(nodeId) { return (nodeId && data.names[nodeId]) || "?"; }
  function docLink(doc) {
    const a = el("a", data.docs[doc].title);
    a.href = "#doc=" + doc;
    return a;
  }
  function inDates(date) {
    if (!state.from && !state.to) return true;
    if (!date) return false;
    return (!state.from || date >= state.from) && (!state.to || date <= state.to);
  }
  function meetingVisible(m) { return state.statuses.has(m.status) && inDates(m.date); }

  // -- filters ------------------------------------------------------------------
  for (const status of STATUSES) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = status; box.id = "status-" + status;
    box.addEventListener("change", () => {
      if (box.checked) state.statuses.add(status); else state.statuses.delete(status);
      refresh();
    });
    label.append(box, " " + status);
    $("statuses").append(label);
  }
  $("from").addEventListener("change", (e) => { state.from = e.target.value; refresh(); });
  $("to").addEventListener("change", (e) => { state.to = e.target.value; refresh(); });
  $("reset").addEventListener("click", () => {
    state.from = state.to = ""; $("from").value = $("to").value = "";
    state.statuses = new Set(STATUSES);
    for (const box of $("statuses").querySelectorAll("input")) box.checked = true;
    refresh();
  });

  // -- network ------------------------------------------------------------------
  const canvas = $("network");
  const ctx = canvas.getContext("2d");
  const drawn = data.nodes.filter((n) => n.drawn);
  const drawnIds = new Set(drawn.map((n) => n.id));
  const edges = data.edges.filter((e) => drawnIds.has(e.a) && drawnIds.has(e.b));
  const pos = layout(drawn, edges);
  let visibleEdges = [];

  function layout(nodes, links) {
    // Fruchterman-Reingold, deterministic start on a spiral; fixed number of steps.
    const W = canvas.width, H = canvas.height, n = nodes.length;
    const p = new Map();
    nodes.forEach((node, i) => {
      const r = 10 * Math.sqrt(i + 1), a = i * 2.39996;
      p.set(node.id, { x: W / 2 + r * Math.cos(a), y: H / 2 + r * Math.sin(a) });
    });
    if (n < 2) return p;
    const k = Math.min(110, Math.sqrt((W * H) / n) * 0.5);
    const list = nodes.map((node) => p.get(node.id));
    let t = W / 8;
    const steps = n > 250 ? 150 : 300;
    for (let step = 0; step < steps; step++) {
      const dx = new Float64Array(n), dy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let x = list[i].x - list[j].x, y = list[i].y - list[j].y;
          let d2 = x * x + y * y || 0.01;
          const f = (k * k) / d2;
          dx[i] += x * f; dy[i] += y * f; dx[j] -= x * f; dy[j] -= y * f;
        }
      }
      const index = new Map(nodes.map((node, i) => [node.id, i]));
      for (const e of links) {
        const i = index.get(e.a), j = index.get(e.b);
        const x = list[i].x - list[j].x, y = list[i].y - list[j].y;
        const d = Math.sqrt(x * x + y * y) || 0.01, f = d / k;
        dx[i] -= x * f; dy[i] -= y * f; dx[j] += x * f; dy[j] += y * f;
      }
      for (let i = 0; i < n; i++) {
        // a pull to the centre keeps separate groups together
        dx[i] += (W / 2 - list[i].x) * 0.25; dy[i] += (H / 2 - list[i].y) * 0.25;
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const m = Math.min(d, t);
        list[i].x += (dx[i] / d) * m;
        list[i].y += (dy[i] / d) * m;
      }
      t = Math.max(t * 0.97, 1);
    }
    // Fit the drawing to the canvas, leaving room for labels on the right.
    const xs = list.map((q) => q.x), ys = list.map((q) => q.y);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const sx = (W - 170) / Math.max(x1 - x0, 1), sy = (H - 60) / Math.max(y1 - y0, 1);
    const scale = Math.min(sx, sy, 1.5);
    const ox = (W - 140 - (x1 - x0) * scale) / 2, oy = (H - (y1 - y0) * scale) / 2;
    for (const q of list) { q.x = ox + (q.x - x0) * scale; q.y = oy + (q.y - y0) * scale; }
    return p;
  }

  function drawNetwork() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    visibleEdges = [];
    const weight = new Map();
    for (const e of edges) {
      const shown = e.m.filter((i) => meetingVisible(data.meetings[i]));
      if (shown.length) visibleEdges.push({ edge: e, meetings: shown });
    }
    for (const [i, m] of data.meetings.entries()) {
      if (!meetingVisible(m)) continue;
      for (const id of m.p) if (drawnIds.has(id)) weight.set(id, (weight.get(id) || 0) + 1);
      void i;
    }
    for (const { edge, meetings } of visibleEdges) {
      const modes = {}, statuses = new Set();
      for (const i of meetings) {
        const m = data.meetings[i];
        modes[m.mode] = (modes[m.mode] || 0) + 1;
        statuses.add(m.status);
      }
      const mode = Object.keys(modes).sort((x, y) => modes[y] - modes[x])[0];
      const a = pos.get(edge.a), b = pos.get(edge.b);
      ctx.strokeStyle = MODES[mode] || MODES.unknown;
      ctx.lineWidth = 1 + Math.log2(meetings.length);
      const done = statuses.has("happened") || statuses.has("ongoing");
      ctx.setLineDash(done ? [] : statuses.has("planned") ? [6, 4] : [2, 4]);
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    }
    ctx.setLineDash([]);
    const shownNodes = drawn.filter((n) => weight.get(n.id));
    const labelled = new Set(
      [...shownNodes].sort((x, y) => weight.get(y.id) - weight.get(x.id)).slice(0, 40).map((n) => n.id)
    );
    for (const node of shownNodes) {
      const p = pos.get(node.id), r = 3 + 2 * Math.sqrt(weight.get(node.id));
      ctx.fillStyle = node.kind === "person" ? "#1d2430" : "#b45309";
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI); ctx.fill();
      if (labelled.has(node.id)) {
        ctx.fillStyle = "#1d2430"; ctx.font = "12px system-ui, sans-serif";
        ctx.fillText(node.name, p.x + r + 3, p.y + 4);
      }
    }
    canvas.dataset.nodes = String(shownNodes.length);
    canvas.dataset.edges = String(visibleEdges.length);
    canvas.dataset.totalNodes = String(data.nodes.length);
    canvas.dataset.totalEdges = String(data.edges.length);
    const hidden = data.nodes.length - drawn.length;
    $("network-note").textContent =
      `${shownNodes.length} actors and ${visibleEdges.length} pairs who met under these filters` +
      (hidden > 0 ? `; the ${drawn.length} actors with most meetings are drawn, ${hidden} more are in the timeline and articles` : "") +
      ". Click a line for its meetings.";
  }

  function nearestEdge(x, y) {
    let best = null, bestD = 6;
    for (const item of visibleEdges) {
      const a = pos.get(item.edge.a), b = pos.get(item.edge.b);
      const vx = b.x - a.x, vy = b.y - a.y, len2 = vx * vx + vy * vy || 1;
      const t = Math.max(0, Math.min(1, ((x - a.x) * vx + (y - a.y) * vy) / len2));
      const d = Math.hypot(x - (a.x + t * vx), y - (a.y + t * vy));
      if (d < bestD) { bestD = d; best = item; }
    }
    return best;
  }

  function showEdge(item) {
    const panel = $("edge-panel"), list = $("edge-meetings");
    list.replaceChildren();
    if (!item) { panel.hidden = true; return; }
    $("edge-title").textContent = `${name(item.edge.a)} and ${name(item.edge.b)}: ` +
      `${item.meetings.length} meeting${item.meetings.length === 1 ? "" : "s"}`;
    const byDate = [...item.meetings].sort((x, y) =>
      (data.meetings[x].date || "9999").localeCompare(data.meetings[y].date || "9999"));
    for (const i of byDate) {
      const m = data.meetings[i], li = el("li");
      li.append(el("span", [m.date || m.when || "undated", m.mode.replace("_", " "), m.place].filter(Boolean).join(" · ") + " "));
      li.append(el("span", m.status, "status-" + m.status), " — ", docLink(m.doc));
      li.append(el("div", m.ev.join(" "), "note"));
      list.append(li);
    }
    panel.hidden = false;
  }

  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) * canvas.width) / box.width;
    const y = ((event.clientY - box.top) * canvas.height) / box.height;
    showEdge(nearestEdge(x, y));
  });

  const legend = $("legend");
  for (const [mode, colour] of Object.entries(MODES)) {
    const span = el("span"), swatch = el("i");
    swatch.style.background = colour;
    span.append(swatch, mode.replace("_", " "));
    legend.append(span);
  }
  legend.append(el("span", "— happened/ongoing · - - planned · ··· cancelled; node size: meetings"));

  // -- timeline -----------------------------------------------------------------
  const ROWS = 500;
  function drawTimeline() {
    const rows = [];
    for (const m of data.meetings) {
      if (meetingVisible(m)) rows.push({ date: m.date, what: `meeting (${m.mode.replace("_", " ")})`, who: m.p.map(name).join(", "), status: m.status, doc: m.doc });
    }
    for (const p of data.proposals) {
      if (inDates(p.date)) rows.push({ date: p.date, what: `${p.kind}: ${p.content}`, who: name(p.from) + (p.to.length ? " → " + p.to.map(name).join(", ") : ""), status: p.status, doc: p.doc });
    }
    rows.sort((x, y) => (x.date || "9999") < (y.date || "9999") ? -1 : (x.date || "9999") > (y.date || "9999") ? 1 : 0);
    const body = $("timeline").tBodies[0];
    body.replaceChildren();
    for (const row of rows.slice(0, ROWS)) {
      const tr = el("tr");
      tr.append(el("td", row.date || "undated"), el("td", row.what), el("td", row.who), el("td", row.status, "status-" + row.status));
      const td = el("td"); td.append(docLink(row.doc)); tr.append(td);
      body.append(tr);
    }
    $("timeline").dataset.rows = String(rows.length);
    $("timeline-note").textContent = rows.length > ROWS
      ? `the first ${ROWS} of ${rows.length} items by date` : `${rows.length} items by date`;
  }

  // -- articles -----------------------------------------------------------------
  const palette = ["#fde68a", "#bbf7d0", "#bfdbfe", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc"];
  const colourOf = new Map();
  function speakerColour(id) {
    if (!colourOf.has(id)) colourOf.set(id, palette[colourOf.size % palette.length]);
    return colourOf.get(id);
  }
  const listEl = $("article-list");
  data.docs.forEach((doc, i) => {
    const li = el("li"); li.dataset.doc = String(i);
    const a = el("a", doc.title); a.href = "#doc=" + i;
    li.append(a, el("span", doc.published ? " " + doc.published : "", "kind"));
    listEl.append(li);
  });

  function showArticle(i) {
    const doc = data.docs[i], view = $("article-view");
    if (!doc) return;
    for (const li of listEl.children) li.classList.toggle("current", li.dataset.doc === String(i));
    view.replaceChildren();
    view.append(el("h3", doc.title));
    view.append(el("p", [doc.published, doc.path].filter(Boolean).join(" · "), "note"));
    view.append(el("p", doc.abstract));
    const actors = el("ul");
    for (const a of doc.actors) {
      const li = el("li", a.name);
      li.append(el("span", " " + [a.kind, a.title, a.country].filter(Boolean).join(", "), "kind"));
      actors.append(li);
    }
    view.append(el("h4", "Actors"), actors);
    const meetings = data.meetings.filter((m) => m.doc === i);
    if (meetings.length) {
      const list = el("ul");
      for (const m of meetings) {
        const li = el("li", m.p.map(name).join(", ") + ": " +
          [m.mode.replace("_", " "), m.place, m.date || m.when].filter(Boolean).join(", ") + " ");
        li.append(el("span", m.status, "status-" + m.status));
        list.append(li);
      }
      view.append(el("h4", "Meetings"), list);
    }
    const proposals = data.proposals.filter((q) => q.doc === i);
    if (proposals.length) {
      const list = el("ul");
      for (const q of proposals) {
        const li = el("li", `${name(q.from)} ${q.kind}${q.to.length ? " to " + q.to.map(name).join(", ") : ""}: ${q.content} `);
        li.append(el("span", q.status, "status-" + q.status));
        list.append(li);
      }
      view.append(el("h4", "Proposals"), list);
    }
    if (doc.statements.length) {
      const list = el("ul");
      for (const s of doc.statements) list.append(el("li", `${name(s.speaker)} ${s.cue}: ${s.verbatim ? "“" + s.content + "”" : s.content}`));
      view.append(el("h4", "Statements"), list);
    }
    view.append(el("h4", "Text"));
    if (doc.text === null) {
      view.append(el("p", "The article's text was not found beside the summary (NAME.source.txt) or at its source path with the same hash; its evidence:", "note"));
      const list = el("ul");
      for (const s of doc.spans) list.append(el("li", `${s[2]}: characters ${s[0]}–${s[1]}`));
      view.append(list);
      return;
    }
    // Offsets count code points (as Python does), not UTF-16 units: slice an array of them.
    // The text is cut at every span boundary; each piece is marked by the spans covering
    // it, a quote over a meeting's or proposal's evidence (so a quote inside a meeting's
    // sentence keeps its speaker's colour).
    const chars = Array.from(doc.text);
    const text = el("div", null, "text");
    const rank = { quote: 4, proposal: 3, meeting: 2, statement: 1 };
    const cuts = [...new Set([0, chars.length, ...doc.spans.flatMap((s) => [s[0], s[1]])])]
      .filter((c) => c >= 0 && c <= chars.length).sort((x, y) => x - y);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [a, b] = [cuts[k], cuts[k + 1]];
      const piece = chars.slice(a, b).join("");
      const over = doc.spans.filter((s) => s[0] <= a && b <= s[1]);
      if (!over.length) { text.append(piece); continue; }
      const top = over.reduce((x, y) => (rank[y[2]] > rank[x[2]] ? y : x));
      const mark = el("mark", piece, over.map((s) => s[2]).join(" "));
      mark.dataset.kind = top[2];
      if (top[2] === "quote") { mark.style.background = speakerColour(top[4]); mark.title = name(top[4]); }
      else mark.title = [...new Set(over.map((s) => s[2]))].join(", ");
      text.append(mark);
    }
    view.append(text);
  }

  function route() {
    const match = /^#doc=(\d+)$/.exec(location.hash);
    if (match) showArticle(Number(match[1]));
  }
  window.addEventListener("hashchange", route);

  function refresh() { drawNetwork(); drawTimeline(); showEdge(null); }
  const c = data.counts;
  $("summary-line").textContent = `${c.documents} articles · ${c.actors} actors · ${c.meetings} meetings · ${c.proposals} proposals`;
  refresh();
  route();
  // For scripts and tests driving the page: where each drawn actor is, in canvas units.
  window.summarizerReport = { position: (id) => pos.get(id) || null, data };
  document.body.dataset.ready = "1";
})();

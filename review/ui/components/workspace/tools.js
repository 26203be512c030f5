// Tools across the article: find and replace (preview, confirm per match or all, one
// revision per changed segment, undoable), the concordance (how the team translated this
// before) and the glossary panel. Mixed into the Workspace class (main.js).

const WORKSPACE_TOOLS = {
  openPanel(title, label) {
    const panel = el("div", "rw-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", label);
    const head = el("div", "rw-panel-head");
    head.appendChild(el("strong", "", title));
    head.appendChild(button("Close", "Close the panel (Esc)", () => this.closePanel()));
    panel.appendChild(head);
    this.panel = panel;
    this.renderLayer();
    return panel;
  },

  closePanel() {
    this.panel = null;
    this.renderLayer();
    this.focusCurrent(false);
  },

  openReplace() {
    const panel = this.openPanel("Find and replace in the corrected text", "Find and replace");
    const find = el("input", "rw-note");
    find.setAttribute("aria-label", "Find");
    find.placeholder = "Find";
    const repl = el("input", "rw-note");
    repl.setAttribute("aria-label", "Replace with");
    repl.placeholder = "Replace with";
    const caseBox = el("input");
    caseBox.type = "checkbox";
    caseBox.setAttribute("aria-label", "Match case");
    const caseLabel = el("label", "rw-check");
    caseLabel.appendChild(caseBox);
    caseLabel.appendChild(document.createTextNode(" Match case"));
    const list = el("ol", "rw-matches");
    const summary = el("div", "rw-find-count");
    let matches = [];
    const preview = () => {
      matches = this.findMatches(find.value, caseBox.checked);
      list.textContent = "";
      summary.textContent = find.value ? matches.length + " match(es) in "
        + new Set(matches.map((m) => m.row.id)).size + " segment(s)" : "";
      for (const m of matches.slice(0, 200)) {
        const li = el("li", "rw-match");
        const box = el("input");
        box.type = "checkbox";
        box.checked = true;
        box.setAttribute("aria-label", "Replace in segment " + (m.row.position + 1) + " at " + m.at);
        box.addEventListener("change", () => { m.on = box.checked; });
        li.appendChild(box);
        li.appendChild(el("span", "rw-num", String(m.row.position + 1)));
        const text = m.row.current;
        li.appendChild(el("span", "", "…" + text.slice(Math.max(0, m.at - 30), m.at)));
        li.appendChild(el("del", "rw-del", text.slice(m.at, m.at + m.len)));
        li.appendChild(el("ins", "rw-ins", repl.value));
        li.appendChild(el("span", "", text.slice(m.at + m.len, m.at + m.len + 30) + "…"));
        list.appendChild(li);
      }
    };
    find.addEventListener("input", preview);
    repl.addEventListener("input", preview);
    caseBox.addEventListener("change", preview);
    const apply = (all) => {
      const chosen = matches.filter((m) => all || m.on);
      if (!chosen.length) { summary.textContent = "Nothing chosen to replace."; return; }
      this.replaceMatches(chosen, repl.value);
      this.closePanel();
    };
    for (const node of [find, repl, caseLabel, summary, list]) panel.appendChild(node);
    const acts = el("div", "rw-pop-row");
    acts.appendChild(button("Replace chosen", "Replace the ticked matches", () => apply(false), "rw-primary"));
    acts.appendChild(button("Replace all", "Replace every match", () => apply(true)));
    panel.appendChild(acts);
    panel.handleKey = (event) => event.key === "Enter" && event.target === repl && (apply(false), true);
    find.focus();
  },

  findMatches(needle, matchCase) {
    if (!needle) return [];
    const want = matchCase ? needle : needle.toLowerCase();
    const out = [];
    for (const row of this.rows) {
      if (isResidue(row)) continue;
      const hay = matchCase ? row.current : row.current.toLowerCase();
      for (let i = hay.indexOf(want); i >= 0; i = hay.indexOf(want, i + want.length)) {
        out.push({ row: row, at: i, len: needle.length, on: true });
      }
    }
    return out;
  },

  replaceMatches(chosen, replacement) {
    const bySegment = new Map();
    for (const m of chosen) {
      if (!bySegment.has(m.row.id)) bySegment.set(m.row.id, []);
      bySegment.get(m.row.id).push(m);
    }
    const changes = [];
    for (const [id, list] of bySegment) {
      const row = this.byId.get(id);
      let text = row.current;
      for (const m of list.sort((a, b) => b.at - a.at)) {
        text = text.slice(0, m.at) + replacement + text.slice(m.at + m.len);
      }
      changes.push({ segment_id: id, text: text, version: row.version });
    }
    this.emit({ type: "replace", changes: changes });
  },

  concordance() {
    const sel = window.getSelection();
    const query = sel && !sel.isCollapsed && this.doc.contains(sel.anchorNode) ? sel.toString().trim() : "";
    this.emit({ type: "concordance", segment_id: this.cur, query: query });
  },

  showConcordance(found, query) {
    const panel = this.openPanel("Concordance: the team's corrected segments", "Concordance");
    const section = (title, hits) => {
      panel.appendChild(el("div", "rw-flags-title", title));
      if (!hits.length) { panel.appendChild(el("div", "rw-none", "Nothing found.")); return; }
      const ul = el("ul", "rw-conc");
      for (const h of hits) {
        const li = el("li");
        li.appendChild(el("div", "rw-conc-where", (h.score !== undefined ? h.score + "% · " : "")
          + h.article + " · segment " + (h.position + 1)));
        if (h.source) li.appendChild(el("div", "rw-conc-src", h.source));
        li.appendChild(el("div", "rw-conc-fix", h.corrected));
        ul.appendChild(li);
      }
      panel.appendChild(ul);
    };
    section("Matches for this segment", found.similar || []);
    if (query) section("“" + query + "” in the library", found.phrase || []);
    else panel.appendChild(el("div", "rw-none", "Select words and press t to search the library for them."));
  },

  glossary() {
    if (this.cur !== null) this.emit({ type: "glossary", segment_id: this.cur });
  },

  showGlossary(terms) {
    const panel = this.openPanel("Glossary for this segment", "Glossary");
    if (!terms.length) { panel.appendChild(el("div", "rw-none", "No glossary term concerns this segment.")); return; }
    const table = el("table", "rw-gloss");
    for (const t of terms) {
      const tr = el("tr");
      tr.appendChild(el("th", "", t.source || "—"));
      tr.appendChild(el("td", "", t.targets.join(" | ") + (t.forbidden.length ? " · never: " + t.forbidden.join(", ") : "")
        + (t.note ? " · " + t.note : "")));
      table.appendChild(tr);
    }
    panel.appendChild(table);
  },
};

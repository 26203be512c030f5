// One segment card: its lines (source, MT, every other system, the correction), flags,
// imported expert annotations grouped per rater, tools and the conflict panel.
// Mixed into the Workspace class (main.js), so `this` is the workspace.

const SIDE_LABELS = { source: "source", target: "MT", corrected: "corrected text" };

function counted(row) {
  return row.flags.filter((f) => f.state !== "dismissed" && f.on !== "corrected"
    && f.origin !== "import");
}

const WORKSPACE_RENDER = {
  card(row) {
    const current = row.id === this.cur;
    const box = el("section", "rw-seg rw-" + row.status + (current ? " rw-current" : "")
      + (isResidue(row) ? " rw-residue" : ""));
    box.dataset.id = row.id;
    box.tabIndex = -1;
    box.setAttribute("aria-label", "Segment " + (row.position + 1) + ", " + row.kind + ", "
      + row.status);
    if (current) box.setAttribute("aria-current", "true");
    const head = el("div", "rw-head");
    head.appendChild(el("span", "rw-num", String(row.position + 1)));
    head.appendChild(el("span", "rw-kind", row.kind));
    head.appendChild(el("span", "rw-status", row.status));
    const draft = readDraft(row.id);
    if (draft && draft.text !== row.current) head.appendChild(el("span", "rw-unsaved", "unsaved"));
    if (this.saving.has(row.id)) head.appendChild(el("span", "rw-saving", "saving…"));
    const flags = counted(row);
    if (flags.length) head.appendChild(el("span", "rw-count", flags.length + " flag(s)"));
    const expert = row.flags.filter((f) => f.origin === "import");
    if (expert.length) head.appendChild(el("span", "rw-count rw-expert-count", expert.length + " expert"));
    box.appendChild(head);
    if (row.lean) return this.leanCard(row, box, current, draft);
    const on = (field) => row.flags.filter((f) => f.on === field);
    if (row.source) box.appendChild(this.line("Source", "source", row, row.source, on("source")));
    box.appendChild(this.line("MT", "target", row, row.mt, on("target").concat(suspectMarks(row))));
    if (current) box.appendChild(this.expertNotes(row, "target", on("target")));
    if (current) this.systemLines(row, box);
    box.appendChild(this.fixLine(row, current, draft));
    if (this.conflict && this.conflict.segment_id === row.id) box.appendChild(this.conflictPanel(row));
    if (current) {
      box.appendChild(this.flagList(row));
      box.appendChild(this.tools(row));
    }
    return box;
  },

  leanCard(row, box, current, draft) {
    // A long article's row not yet read whole (the list asks for it as it is drawn): its
    // texts follow in a moment; the editor already works on the corrected text.
    box.classList.add("rw-lean");
    box.appendChild(el("div", "rw-line rw-loading", "…"));
    if (current && this.editing) box.appendChild(this.fixLine(row, current, draft));
    return box;
  },

  systemLines(row, box) {
    const shown = this.allSystems ? row.candidates : row.candidates.slice(0, VOCAB.systems_shown);
    for (const cand of shown) {
      const flags = row.flags.filter((f) => f.on === cand.system);
      const line = this.line(cand.system, cand.system, row, null, []);
      renderMarked(line.querySelector(".rw-text"), cand.text, flags, wordDiff(row.mt, cand.text));
      box.appendChild(line);
      box.appendChild(this.expertNotes(row, cand.system, flags));
    }
    const hidden = row.candidates.length - shown.length;
    if (hidden > 0 || this.allSystems && row.candidates.length > VOCAB.systems_shown) {
      box.appendChild(button(hidden > 0 ? "+ " + hidden + " more system(s) (v)" : "Fewer systems (v)",
        "Show or hide the other systems (v)", () => this.toggleSystems(), "rw-more-systems"));
    }
  },

  expertNotes(row, field, flags) {
    // Imported rater annotations of one line, grouped per rater, folded by default.
    const wrap = el("div", "rw-experts");
    const byRater = new Map();
    for (const f of flags.filter((x) => x.origin === "import")) {
      if (!byRater.has(f.author)) byRater.set(f.author, []);
      byRater.get(f.author).push(f);
    }
    const text = this.textOf(row, field);
    for (const [rater, list] of byRater) {
      const details = el("details", "rw-rater");
      details.open = this.openRaters.has(row.id + ":" + field + ":" + rater);
      details.addEventListener("toggle", () => {
        const key = row.id + ":" + field + ":" + rater;
        if (details.open) this.openRaters.add(key); else this.openRaters.delete(key);
      });
      const worst = list.reduce((a, b) => (rank(b) > rank(a) ? b : a));
      details.appendChild(el("summary", "", rater + ": " + list.length + " error(s), worst "
        + worst.severity));
      const ul = el("ul", "rw-list");
      for (const f of list) {
        const li = el("li", "rw-flag " + sevClass(f.severity));
        li.appendChild(el("span", "rw-sev-badge", f.severity));
        li.appendChild(el("span", "rw-cat-name", f.category));
        li.appendChild(el("span", "rw-quote", quoteOf(text, f)));
        if (f.note) li.appendChild(el("span", "rw-flag-note", f.note));
        ul.appendChild(li);
      }
      details.appendChild(ul);
      wrap.appendChild(details);
    }
    return wrap;
  },

  line(label, field, row, text, flags) {
    const line = el("div", "rw-line rw-line-" + (["source", "target", "corrected"].includes(field) ? field : "cand"));
    line.appendChild(el("span", "rw-label", label));
    const box = el("div", "rw-text");
    box.dataset.field = field;
    box.dataset.seg = row.id;
    box.setAttribute("aria-label", label + " of segment " + (row.position + 1));
    if (text !== null) renderMarked(box, text, flags);
    line.appendChild(box);
    return line;
  },

  fixLine(row, current, draft) {
    if (current && this.editing) {
      const line = el("div", "rw-line rw-line-fix");
      line.appendChild(el("span", "rw-label", "Corrected"));
      const area = el("textarea", "rw-editor");
      area.setAttribute("aria-label", "Corrected text of segment " + (row.position + 1));
      area.value = draft ? draft.text : row.current;
      area.rows = Math.min(8, Math.max(2, Math.ceil(area.value.length / 90)));
      area.addEventListener("input", () => this.keepDraft(row, area.value));
      line.appendChild(area);
      return line;
    }
    const line = this.line("Corrected", "corrected", row, row.current,
      row.flags.filter((f) => f.on === "corrected"));
    if (draft && draft.text !== row.current) {
      line.appendChild(el("div", "rw-draft", "Draft (unsaved): " + draft.text));
    }
    return line;
  },

  keepDraft(row, text) {
    const draft = readDraft(row.id);
    const base = draft ? draft.v : row.version;
    const from = draft ? draft.from : row.current;
    writeDraft(row.id, base, from, text);
    const card = this.cards.get(row.id);
    const head = card && card.node.querySelector(".rw-head");
    if (head && !head.querySelector(".rw-unsaved")) head.appendChild(el("span", "rw-unsaved", "unsaved"));
    if (card) card.sig = this.signature(row);
    this.renderBar();
  },

  suggestions(row) {
    return row.flags.filter((f) => f.origin === "check" && f.state === "open");
  },

  flagList(row) {
    const wrap = el("div", "rw-flags");
    const mine = row.flags.filter((f) => f.origin !== "import");
    const onMt = mine.filter((f) => f.on === "target" || f.on === "source");
    const onSystems = mine.filter((f) => !["target", "source", "corrected"].includes(f.on));
    const onFix = mine.filter((f) => f.on === "corrected");
    const cursor = this.suggestions(row)[this.sug] || null;
    const list = (title, flags, cls) => {
      if (!flags.length) return;
      wrap.appendChild(el("div", "rw-flags-title", title));
      const ul = el("ul", cls);
      for (const f of flags) ul.appendChild(this.flagItem(row, f, cursor && cursor.id === f.id));
      wrap.appendChild(ul);
    };
    list("Flags and suggestions on the MT", onMt, "rw-list");
    list("Flags on other systems", onSystems, "rw-list rw-on-systems");
    list("Warnings about the fix (not counted in the MT's score)", onFix, "rw-list rw-warnings");
    if (!mine.length) wrap.appendChild(el("div", "rw-none", "No flags on this segment."));
    return wrap;
  },

  flagItem(row, flag, isCursor) {
    const li = el("li", "rw-flag " + sevClass(flag.severity) + (isCursor ? " rw-cursor" : ""));
    li.dataset.flag = flag.id;
    if (isCursor) li.setAttribute("aria-current", "true");
    li.appendChild(el("span", "rw-sev-badge", flag.severity));
    li.appendChild(el("span", "rw-cat-name", flag.category));
    if (!["target", "corrected"].includes(flag.on)) li.appendChild(el("span", "rw-on", "on " + (SIDE_LABELS[flag.on] || flag.on)));
    li.appendChild(el("span", "rw-quote", quoteOf(this.textOf(row, flag.on), flag)));
    li.appendChild(el("span", "rw-state", flag.state + " · "
      + (flag.origin === "check" ? "suggested by " + flag.check : flag.author)));
    if (flag.note) li.appendChild(el("span", "rw-flag-note", flag.note));
    if (flag.origin === "check" && flag.state === "open") {
      li.appendChild(button("Confirm", "Confirm this suggestion (c)", () => this.decide(flag, "confirmed")));
      li.appendChild(button("Dismiss", "Dismiss this suggestion (x)", () => this.decide(flag, "dismissed")));
    }
    li.appendChild(button("Change", "Change this flag", () => this.openFlag(row, flag, li)));
    return li;
  },

  textOf(row, on) {
    if (on === "source") return row.source;
    if (on === "target") return row.mt;
    if (on === "corrected") return row.current;
    const cand = row.candidates.find((c) => c.system === on);
    return cand ? cand.text : "";
  },

  tools(row) {
    const bar = el("div", "rw-tools");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Segment actions");
    const add = (label, title, fn, cls) => bar.appendChild(button(label, title, fn, cls));
    if (this.editing) add("Save & next", "Save and go to the next to-do segment (Ctrl+Enter)", () => this.saveAndNext(), "rw-primary");
    else add("Edit", "Edit the corrected text (Enter)", () => this.edit());
    add("Approve", "Approve the segment (a)", () => this.approve());
    add("Approve & next", "Approve and go to the next segment not yet approved (A)", () => this.approveAndNext());
    add("Merge with next", "Merge with the next segment (+)", () => this.merge());
    add("Split at cursor", "Split at the editor's cursor (Alt+S)", () => this.split());
    if (isResidue(row)) add("Mark as body", "Mark as body text (b)", () => this.kind("body"));
    else add("Mark as residue", "Mark as web residue (r)", () => this.kind("residue"));
    add("History", "Show history, scores and audit trail below (h)", () => this.details());
    add("Concordance", "How the team translated this before (t)", () => this.concordance());
    add("Glossary", "The team glossary's terms for this segment (l)", () => this.glossary());
    return bar;
  },

  conflictPanel(row) {
    const c = this.conflict;
    const panel = el("div", "rw-conflict");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-label", "Save conflict");
    panel.appendChild(el("p", "rw-conflict-msg", c.message));
    const cols = el("div", "rw-conflict-cols");
    const theirs = el("div", "rw-theirs");
    theirs.appendChild(el("div", "rw-label", "Theirs (" + (c.theirs_author || "someone") + ", version " + c.theirs_version + ")"));
    theirs.appendChild(el("div", "rw-conflict-text", c.theirs_text));
    const mine = el("div", "rw-mine");
    mine.appendChild(el("div", "rw-label", "Yours"));
    mine.appendChild(el("div", "rw-conflict-text", c.mine));
    cols.appendChild(theirs);
    cols.appendChild(mine);
    panel.appendChild(cols);
    const acts = el("div", "rw-pop-row");
    acts.appendChild(button("Take theirs", "Put their text in the editor", () => this.takeTheirs(row)));
    acts.appendChild(button("Keep mine", "Save your text over theirs, having seen it", () => this.keepMine(row)));
    acts.appendChild(button("Merge", "Edit your text next to theirs, then save", () => this.mergeTexts(row)));
    panel.appendChild(acts);
    return panel;
  },
};

function quoteOf(text, flag) {
  if (flag.start === flag.end && flag.start !== null) return "[missing]";
  if (flag.start === null || flag.start === undefined) return "whole segment";
  return "“" + text.slice(flag.start, flag.end) + "”";
}

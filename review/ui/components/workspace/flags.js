// Flags in the workspace: spans by mouse or by keyboard, the flag box, suggestions, undo.
// Mixed into the Workspace class (main.js), so `this` is the workspace.

const WORKSPACE_FLAGS = {
  // ------------------------------------------------------------------ flags
  nextSuggestion() {
    const row = this.byId.get(this.cur);
    const count = row ? this.suggestions(row).length : 0;
    this.sug = count ? (this.sug + 1) % count : 0;
    this.render();
  },

  decideCursor(state) {
    const row = this.byId.get(this.cur);
    const flag = row && this.suggestions(row)[this.sug];
    if (flag) this.decide(flag, state);
  },

  decide(flag, state) {
    this.emit({ type: "flag_state", segment_id: this.cur, flag_id: flag.id, state: state,
      prev: flag.state });
    this.closePop(true);
  },

  undoLast() {
    // The reviewer's own actions in this article, newest first: flags, flag changes,
    // suggestions decided, merges, splits, residue marks and replacements.
    const last = this.undo.pop();
    if (!last) { this.say("Nothing to undo."); return; }
    this.emit(Object.assign({}, last.event, { undo: last.label, latest: true }));
  },

  find() {
    // Keyboard-only spans: type words, step through their occurrences in the MT, Enter
    // selects them for C / M / m / n. While typing, occurrences are only highlighted: the
    // page's selection stays in the input, so every typed character lands there.
    const row = this.byId.get(this.cur);
    if (!row || !this.cards.has(row.id)) return;
    const box = el("div", "rw-pop rw-find");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Find words in the MT");
    const input = el("input", "rw-note");
    input.type = "text";
    input.placeholder = "Words in the MT";
    input.setAttribute("aria-label", "Find in the MT");
    const count = el("div", "rw-find-count", "↓ / ↑ next / previous occurrence · Enter selects");
    box.appendChild(input);
    box.appendChild(count);
    let hits = [];
    let at = 0;
    const mark = () => {
      hits = [];
      for (let i = input.value ? row.mt.indexOf(input.value) : -1; i >= 0;
        i = row.mt.indexOf(input.value, i + 1)) hits.push(i);
      at = hits.length ? (at + hits.length) % hits.length : 0;
      count.textContent = hits.length ? "occurrence " + (at + 1) + " of " + hits.length
        : "not in the MT";
      this.highlight(hits.length ? this.rangeOf(row, "target", hits[at], hits[at] + input.value.length) : null);
    };
    input.addEventListener("input", () => { at = 0; mark(); });
    box.handleKey = (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        at += event.key === "ArrowDown" ? 1 : -1;
        mark();
        return true;
      }
      if (event.key === "Enter") {
        const chosen = hits.length ? [hits[at], hits[at] + input.value.length] : null;
        this.closePop();
        if (chosen) this.selectText(row, "target", chosen[0], chosen[1]);
        return true;
      }
      return false;
    };
    const line = this.cards.get(row.id).node.querySelector(".rw-line-target .rw-text");
    this.show(box, line.getBoundingClientRect());
    input.focus({ preventScroll: true });
  },

  highlight(range) {
    if (typeof CSS === "undefined" || !CSS.highlights || typeof Highlight === "undefined") return;
    if (range) CSS.highlights.set("rw-find", new Highlight(range));
    else CSS.highlights.delete("rw-find");
  },

  rangeOf(row, field, start, end) {
    const card = this.cards.get(row.id);
    const box = card && card.node.querySelector(".rw-text[data-field='" + field + "']");
    if (!box) return null;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let pos = 0;
    let started = false;
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (skipped(t, box)) continue;
      const len = t.textContent.length;
      if (!started && start < pos + len) { range.setStart(t, start - pos); started = true; }
      if (started && end <= pos + len) { range.setEnd(t, end - pos); return range; }
      pos += len;
    }
    return started ? range : null;
  },

  selectText(row, field, start, end) {
    const range = this.rangeOf(row, field, start, end);
    if (!range) return;
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  },

  selectedSpan() {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    const start = range.startContainer;
    const box = (start.nodeType === 1 ? start : start.parentElement).closest(".rw-text");
    if (!box || !this.doc.contains(box) || Number(box.dataset.seg) !== this.cur) return null;
    const row = this.byId.get(this.cur);
    const text = this.textOf(row, box.dataset.field);
    const a = offsetIn(box, range.startContainer, range.startOffset);
    const b = box.contains(range.endContainer) ? offsetIn(box, range.endContainer, range.endOffset) : text.length;
    const snapped = snapToWords(text, Math.min(a, b), Math.max(a, b));
    if (!snapped) return null;
    return { row: row, on: box.dataset.field, start: snapped.start, end: snapped.end,
      rect: range.getBoundingClientRect(), text: text };
  },

  mouseUp(event) {
    if (event.button !== 0) return;
    const card = event.target.closest && event.target.closest(".rw-seg");
    if (!card || Number(card.dataset.id) !== this.cur) return;
    if (event.target.closest(".rw-btn, textarea, .rw-pop")) return;
    const mark = event.target.closest("[data-flag]");
    const sel = window.getSelection();
    if (mark && mark.dataset.suspectStart !== undefined && (!sel || sel.isCollapsed)) {
      this.flagSuspect(this.byId.get(this.cur), Number(mark.dataset.suspectStart),
        Number(mark.dataset.suspectEnd), mark);
      return;
    }
    if (mark && mark.closest(".rw-text") && (!sel || sel.isCollapsed)) {
      const row = this.byId.get(this.cur);
      const flag = row.flags.find((f) => String(f.id) === mark.dataset.flag);
      if (flag) this.openFlag(row, flag, mark);
      return;
    }
    if (!event.target.closest(".rw-text")) return;
    const span = this.selectedSpan();
    if (span) this.openNew(span, null);
  },

  click(event) {
    const card = event.target.closest && event.target.closest(".rw-seg");
    if (!card || event.target.closest(".rw-btn, textarea, .rw-pop")) return;
    const id = Number(card.dataset.id);
    if (id !== this.cur) this.goTo(id, false);
  },

  place(rect) {
    const root = this.root.getBoundingClientRect();
    return { left: Math.max(0, Math.min(rect.left - root.left, root.width - 380)),
      top: rect.bottom - root.top + 6 };
  },

  show(box, rect) {
    const at = this.place(rect);
    box.style.left = at.left + "px";
    box.style.top = at.top + "px";
    this.pop = box;
    this.renderLayer();
    // Keep the box on screen: above the words when there is no room below them.
    const root = this.root.getBoundingClientRect();
    if (rect.bottom + box.offsetHeight + 8 > window.innerHeight) {
      const above = rect.top - root.top - box.offsetHeight - 6;
      box.style.top = Math.max(-root.top, above) + "px";
    }
    const first = box.querySelector("[aria-pressed=true]") || box.querySelector(".rw-btn");
    if (first) first.focus({ preventScroll: true });
  },

  // Turn a suspect span into a flag: the flag box opens on it (category and severity keys).
  flagSuspect(row, start, end, anchor) {
    const card = this.cards.get(row.id);
    const box = card && card.node.querySelector(".rw-text[data-field='target']");
    const mark = anchor || (box && box.querySelector("[data-suspect-start='" + start + "']"));
    const rect = (mark || box || this.root).getBoundingClientRect();
    this.openNew({ row: row, on: "target", start: start, end: end, rect: rect, text: row.mt },
      null);
  },

  nextSuspect() {
    const row = this.byId.get(this.cur);
    const marks = row ? suspectMarks(row) : [];
    if (!marks.length) { this.say("No suspect words left in this segment."); return; }
    this.flagSuspect(row, marks[0].start, marks[0].end, null);
  },

  openNew(span, severity) {
    const label = SIDE_LABELS[span.on] || span.on;
    const box = flagBox({
      severity: severity, onLabel: label,
      spanText: span.text.slice(span.start, span.end), canMarkMissing: span.on === "target",
      onSubmit: (v) => {
        this.emit(Object.assign({ type: "flag_add", segment_id: span.row.id, on: span.on,
          start: span.start, end: span.end }, v));
        this.closePop();
      },
      onMissing: () => this.markMissing(span),
      onClose: () => this.closePop(),
    });
    this.show(box, span.rect);
  },

  markMissing(span) {
    const box = flagBox({
      severity: null, category: VOCAB.omission, fixedCategory: true,
      onLabel: "MT, before “" + span.text.slice(span.start, span.end) + "”", spanText: "",
      onSubmit: (v) => {
        this.emit({ type: "flag_add", segment_id: span.row.id, on: "target", start: span.start,
          end: span.start, category: VOCAB.omission, severity: v.severity, note: v.note });
        this.closePop();
      },
      onClose: () => this.closePop(),
    });
    this.show(box, span.rect);
  },

  openFlag(row, flag, anchor) {
    const text = this.textOf(row, flag.on);
    const box = flagBox({
      flag: flag, onLabel: SIDE_LABELS[flag.on] || flag.on,
      spanText: flag.start !== null ? text.slice(flag.start, flag.end) : "",
      onSubmit: (v) => {
        this.emit(Object.assign({ type: "flag_edit", segment_id: row.id, flag_id: flag.id,
          prev: { category: flag.category, severity: flag.severity, note: flag.note } }, v));
        this.closePop();
      },
      onDelete: () => {
        this.emit({ type: "flag_delete", segment_id: row.id, flag_id: flag.id,
          snapshot: { segment_id: row.id, on: flag.on, start: flag.start, end: flag.end,
            category: flag.category, severity: flag.severity, note: flag.note } });
        this.closePop();
      },
      onState: (state) => this.decide(flag, state),
      onClose: () => this.closePop(),
    });
    this.show(box, anchor.getBoundingClientRect());
  },

  closePop(quiet) {
    if (!this.pop) return;
    this.pop = null;
    this.highlight(null);
    this.renderLayer();
    if (!quiet) this.focusCurrent(false);
  },
};

// What the reviewer does in the workspace: keys, mouse spans, moves, saves, flag actions.
// Mixed into the Workspace class (main.js), so `this` is the workspace.

const WORKSPACE_ACTIONS = {
  key(event) {
    if (this.pop && this.pop.handleKey) {
      if (event.key === "Escape") { this.closePop(); event.preventDefault(); return; }
      if (this.pop.handleKey(event)) { event.preventDefault(); return; }
      if (event.target.closest && event.target.closest(".rw-pop")) return;
    }
    const inEditor = event.target.classList && event.target.classList.contains("rw-editor");
    if (isSaveKey(event)) { event.preventDefault(); this.saveAndNext(); return; }
    if (inEditor) {
      if (event.key === "Escape") { event.preventDefault(); this.cancelEdit(); }
      else if (event.altKey && (event.key === "s" || event.key === "S" || event.code === "KeyS")) {
        event.preventDefault();
        this.split();
      }
      return;
    }
    if (event.target.tagName === "INPUT" || event.target.tagName === "SELECT") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const span = SEVERITY_KEYS[event.key] || event.key === "o" ? this.selectedSpan() : null;
    if (span) {
      event.preventDefault();
      if (event.key === "o") this.markMissing(span);
      else this.openNew(span, SEVERITY_KEYS[event.key]);
      return;
    }
    const actions = {
      j: () => this.move(1), ArrowDown: () => this.move(1),
      k: () => this.move(-1), ArrowUp: () => this.move(-1),
      Enter: () => this.edit(), e: () => this.edit(),
      a: () => this.approve(), s: () => this.nextSuggestion(),
      c: () => this.decideCursor("confirmed"), x: () => this.decideCursor("dismissed"),
      u: () => this.undoLast(), "+": () => this.merge(),
      r: () => this.kind("residue"), b: () => this.kind("body"),
      h: () => this.details(), "?": () => this.toggleHelp(), f: () => this.find(),
      g: () => this.nextSuspect(),
      Escape: () => { this.help = false; this.conflictClosed(); this.renderLayer(); },
    };
    const act = actions[event.key];
    if (act) { event.preventDefault(); act(); }
  },

  // ------------------------------------------------------------------ moving
  move(step) {
    const ids = this.rows.map((r) => r.id);
    const at = ids.indexOf(this.cur);
    const next = ids[Math.min(ids.length - 1, Math.max(0, at + step))];
    if (next !== undefined) this.goTo(next, false);
  },

  goTo(id, editing) {
    this.closePop(true);
    this.cur = id;
    this.editing = Boolean(editing);
    this.sug = 0;
    this.startedAt = Date.now();
    try { sessionStorage.setItem(this.placeKey(), String(id)); } catch (err) { /* private mode */ }
    this.render();
    this.focusCurrent(false);
  },

  focusCurrent(first) {
    const card = this.cards.get(this.cur);
    if (!card) return;
    const area = card.node.querySelector(".rw-editor");
    const target = area || card.node;
    if (first && document.activeElement && document.activeElement !== document.body
        && !this.root.contains(document.activeElement)) return;  // the reviewer is elsewhere
    target.focus({ preventScroll: true });
    if (area) area.setSelectionRange(area.value.length, area.value.length);
    const pane = this.doc.getBoundingClientRect();
    const box = card.node.getBoundingClientRect();
    if (box.top < pane.top || box.bottom > pane.bottom) {
      this.doc.scrollTop += box.top - pane.top - 8;
    }
  },

  nextTodo(after) {
    const ids = this.rows.map((r) => r.id);
    const start = ids.indexOf(after);
    for (let i = 1; i <= ids.length; i++) {
      const row = this.byId.get(ids[(start + i) % ids.length]);
      if (row.id !== after && TODO.has(row.status) && !RESIDUE.has(row.kind)
          && !this.saving.has(row.id)) return row.id;
    }
    return null;
  },

  // ------------------------------------------------------------------ editing
  edit() {
    if (!this.byId.has(this.cur)) return;
    this.editing = true;
    this.render();
    this.focusCurrent(false);
  },

  cancelEdit() {
    this.editing = false;
    this.render();
    this.focusCurrent(false);
  },

  saveAndNext() {
    const row = this.byId.get(this.cur);
    if (!row) return;
    const area = this.cards.get(row.id) && this.cards.get(row.id).node.querySelector(".rw-editor");
    const draft = readDraft(row.id);
    const text = area ? area.value : draft ? draft.text : null;
    if (this.conflict && this.conflict.segment_id === row.id && this.conflict.merging) {
      this.emit({ type: "resolve", segment_id: row.id, choice: "merge", text: text,
        theirs_version: this.conflict.theirs_version });
      this.saving.add(row.id);
    } else if (text !== null && text !== row.current) {
      writeDraft(row.id, draft ? draft.v : row.version, draft ? draft.from : row.current, text);
      const base = this.baseVersion(row);
      this.emit({ type: "save", segment_id: row.id, text: text, version: base,
        seconds: (Date.now() - this.startedAt) / 1000 });
      this.saving.add(row.id);
    }
    const next = this.nextTodo(row.id);
    if (next !== null) this.goTo(next, true);
    else { this.editing = false; this.render(); this.focusCurrent(false); }
  },

  baseVersion(row) {
    // A draft started from an older version whose text nobody changed since (a flag or an
    // approval bumped the version) is rebased; a text change by anyone else conflicts.
    const draft = readDraft(row.id);
    if (!draft) return row.version;
    return draft.from === row.current ? row.version : draft.v;
  },

  approve() {
    const row = this.byId.get(this.cur);
    if (row) this.emit({ type: "approve", segment_id: row.id, version: row.version });
  },

  merge() {
    const row = this.byId.get(this.cur);
    if (row) this.emit({ type: "merge", segment_id: row.id, version: row.version });
  },

  split() {
    const row = this.byId.get(this.cur);
    const card = row && this.cards.get(row.id);
    const area = card && card.node.querySelector(".rw-editor");
    if (!area) { this.say("Edit the segment and put the cursor where it should split.", true); return; }
    if (area.value !== row.current) { this.say("Save the segment before splitting it.", true); return; }
    this.emit({ type: "split", segment_id: row.id, at: area.selectionStart, version: row.version });
  },

  kind(choice) {
    const row = this.byId.get(this.cur);
    if (row) this.emit({ type: "kind", segment_id: row.id, kind: choice, version: row.version });
  },

  details() {
    if (this.cur !== null) this.emit({ type: "details", segment_id: this.cur });
  },

  say(text, failed) {
    this.message = text;
    this.failed = Boolean(failed);
    this.renderBar();
  },

  toggleHelp() {
    this.help = !this.help;
    this.renderLayer();
    const close = this.layer.querySelector(".rw-help .rw-btn");
    if (close) close.focus(); else this.focusCurrent(false);
  },

  // ------------------------------------------------------------------ conflicts
  takeTheirs(row) {
    const c = this.conflict;
    this.emit({ type: "resolve", segment_id: row.id, choice: "take_theirs",
      theirs_version: c.theirs_version });
    writeDraft(row.id, c.theirs_version, c.theirs_text, c.theirs_text);
    this.conflict = null;
    this.goTo(row.id, true);
  },

  keepMine(row) {
    const c = this.conflict;
    this.emit({ type: "resolve", segment_id: row.id, choice: "keep_mine", text: c.mine,
      theirs_version: c.theirs_version });
    this.saving.add(row.id);
    this.render();
  },

  mergeTexts(row) {
    this.conflict = Object.assign({}, this.conflict, { merging: true });
    writeDraft(row.id, this.conflict.theirs_version, this.conflict.theirs_text, this.conflict.mine);
    this.goTo(row.id, true);
  },

  conflictClosed() {
    if (this.conflict && !this.conflict.merging) { this.conflict = null; this.render(); }
  },
};

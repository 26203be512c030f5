// What the reviewer does in the workspace: keys, moves, saves, approvals, segment
// operations and conflicts. Mixed into the Workspace class (main.js), so `this` is the
// workspace.

const WORKSPACE_ACTIONS = {
  key(event) {
    const target = event.target;
    if (target !== document.body && !this.root.contains(target)) return;  // another widget
    if (this.pop && this.pop.handleKey) {
      if (event.key === "Escape") { this.closePop(); event.preventDefault(); return; }
      if (this.pop.handleKey(event)) { event.preventDefault(); return; }
      if (target.closest && target.closest(".rw-pop")) return;
    }
    if (this.panel && this.panel.contains(target)) {
      if (event.key === "Escape") { event.preventDefault(); this.closePanel(); }
      else if (this.panel.handleKey && this.panel.handleKey(event)) event.preventDefault();
      return;
    }
    const inEditor = target.classList && target.classList.contains("rw-editor");
    if (isSaveKey(event)) { event.preventDefault(); this.saveAndNext(); return; }
    if (inEditor) {
      if (event.key === "Escape") { event.preventDefault(); this.cancelEdit(); }
      else if (event.altKey && (event.key === "s" || event.key === "S" || event.code === "KeyS")) {
        event.preventDefault();
        this.split();
      }
      return;
    }
    if (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const severity = VOCAB.severity_keys[event.key];
    const span = severity || event.key === "o" ? this.selectedSpan() : null;
    if (span) {
      event.preventDefault();
      if (event.key === "o") this.markMissing(span);
      else this.openNew(span, severity);
      return;
    }
    const actions = {
      j: () => this.move(1), ArrowDown: () => this.move(1),
      k: () => this.move(-1), ArrowUp: () => this.move(-1),
      Enter: () => this.edit(), e: () => this.edit(),
      a: () => this.approve(), A: () => this.approveAndNext(), s: () => this.nextSuggestion(),
      c: () => this.decideCursor("confirmed"), x: () => this.decideCursor("dismissed"),
      u: () => this.undoLast(), "+": () => this.merge(),
      r: () => this.kind("residue"), b: () => this.kind("body"),
      h: () => this.details(), "?": () => this.toggleHelp(), f: () => this.find(),
      F: () => this.openReplace(), g: () => this.nextSuspect(), v: () => this.toggleSystems(),
      t: () => this.concordance(), l: () => this.glossary(),
      Escape: () => { this.help = false; this.panel = null; this.conflictClosed(); this.renderLayer(); this.focusCurrent(false); },
    };
    const act = actions[event.key];
    if (act) { event.preventDefault(); act(); }
  },

  // ------------------------------------------------------------------ moving
  move(step) {
    if (this.orderDirty) this.computeOrder();
    const at = this.index.has(this.cur) ? this.index.get(this.cur) : -1;
    const next = this.order[Math.min(this.order.length - 1, Math.max(0, at + step))];
    if (next !== undefined) this.goTo(next, false);
  },

  goTo(id, editing) {
    this.closePop(true);
    if (id !== this.cur) { this.startedAt = Date.now(); this.panel = null; }
    this.cur = id;
    this.editing = Boolean(editing);
    this.sug = 0;
    this.remember(id);
    this.render();
    this.focusCurrent(false);
  },

  remember(id) {
    // The place goes into the address, so a reload or a shared link opens exactly here.
    try {
      sessionStorage.setItem(this.placeKey(), String(id));
      const url = new URL(window.location.href);
      url.searchParams.set("article", String(this.data.article_id));
      url.searchParams.set("segment", String(id));
      window.history.replaceState(window.history.state, "", url.toString());
    } catch (err) {
      // private mode or a sandbox: the place is kept for this page only
    }
  },

  focusCurrent(first) {
    if (!this.cards.has(this.cur)) this.scrollToCurrent();
    const card = this.cards.get(this.cur);
    if (!card) return;
    const area = card.node.querySelector(".rw-editor");
    const target = area || card.node;
    const active = document.activeElement;
    if (first && active && active !== document.body && !this.root.contains(active)
        && !active.closest("[data-testid=stSelectbox]")) return;  // the reviewer is elsewhere
    target.focus({ preventScroll: true });
    if (area) area.setSelectionRange(area.value.length, area.value.length);
    const pane = this.doc.getBoundingClientRect();
    const box = card.node.getBoundingClientRect();
    if (box.top < pane.top || box.bottom > pane.bottom) {
      this.doc.scrollTop += box.top - pane.top - 8;
    }
  },

  nextTodo(after, wanted) {
    if (this.orderDirty) this.computeOrder();
    const ids = this.order;
    const start = ids.indexOf(after);
    const ok = wanted || ((row) => isTodo(row));
    for (let i = 1; i <= ids.length; i++) {
      const row = this.byId.get(ids[(start + i) % ids.length]);
      if (row.id !== after && ok(row) && !isResidue(row) && !this.saving.has(row.id)) return row.id;
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
      const from = draft ? draft.from : row.current;
      const base = draft ? draft.v : row.version;
      writeDraft(row.id, base, from, text);
      // The version is settled when the event leaves (see Workspace.settleVersion): an
      // approval or a save of one's own still on its way is not somebody else's edit.
      this.emit({ type: "save", segment_id: row.id, text: text, version: base, seen: from,
        seconds: (Date.now() - this.startedAt) / 1000 });
      this.saving.add(row.id);
    }
    const next = this.nextTodo(row.id);
    if (next !== null) this.goTo(next, true);
    else { this.editing = false; this.render(); this.focusCurrent(false); }
  },

  versioned(type, extra) {
    const row = this.byId.get(this.cur);
    if (!row) return null;
    return this.emit(Object.assign({ type: type, segment_id: row.id, version: row.version,
      seen: this.textAfterMySaves(row) }, extra || {}));
  },

  textAfterMySaves(row) {
    const pending = [...this.pending.values()].filter((e) => e.type === "save" && e.segment_id === row.id);
    return pending.length ? pending[pending.length - 1].text : row.current;
  },

  approve() { this.versioned("approve"); },

  approveAndNext() {
    const row = this.byId.get(this.cur);
    if (!row) return;
    this.versioned("approve");
    const next = this.nextTodo(row.id, (r) => r.status !== VOCAB.done);
    if (next !== null) this.goTo(next, false);
  },

  merge() { this.versioned("merge"); },

  split() {
    const row = this.byId.get(this.cur);
    const card = row && this.cards.get(row.id);
    const area = card && card.node.querySelector(".rw-editor");
    if (!area) { this.say("Edit the segment and put the cursor where it should split.", true); return; }
    if (area.value !== row.current) { this.say("Save the segment before splitting it.", true); return; }
    this.versioned("split", { at: area.selectionStart });
  },

  kind(choice) { this.versioned("kind", { kind: choice }); },

  details() {
    if (this.cur !== null) this.emit({ type: "details", segment_id: this.cur });
  },

  toggleSystems() {
    this.allSystems = !this.allSystems;
    this.render();
  },

  say(text, failed) {
    this.message = text;
    this.failed = Boolean(failed);
    this.renderBar();
  },

  toggleHelp() {
    this.help = !this.help;
    this.renderLayer();
    const close = this.help && this.layer.querySelector(".rw-help .rw-btn");
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

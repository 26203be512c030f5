// The reviewer workspace: the article's rows live here, so moving between segments runs no
// Python. Saves, flags and segment operations go to Python as one trigger ("event") each,
// one at a time; Python answers with fresh rows and an acknowledgement per event.

const INSTANCES = new WeakMap();
const TODO = new Set(["todo", "flagged"]);
const RESIDUE = new Set(["caption", "boilerplate", "metadata"]);

class Workspace {
  constructor(parent) {
    this.parent = parent;
    this.rows = [];
    this.byId = new Map();
    this.cards = new Map();
    this.cur = null;
    this.editing = false;
    this.queue = [];
    this.inflight = null;
    this.pending = new Map();
    this.seen = new Set();
    this.undo = [];
    this.conflict = null;
    this.pop = null;
    this.help = false;
    this.sug = 0;
    this.saving = new Set();
    this.message = "";
    this.startedAt = Date.now();
    this.attached = false;
  }

  mount() {
    this.root = this.parent.querySelector(".rw-root");
    if (!this.root) {
      this.root = el("div", "rw-root");
      this.root.setAttribute("role", "application");
      this.root.setAttribute("aria-label", "Review workspace: press ? for the keys");
      this.root.tabIndex = 0;
      for (const cls of ["rw-bar", "rw-doc", "rw-layer"]) this.root.appendChild(el("div", cls));
      this.parent.appendChild(this.root);
    }
    this.root.dataset.pending = String(this.pending.size);
    this.bar = this.root.querySelector(".rw-bar");
    this.doc = this.root.querySelector(".rw-doc");
    this.layer = this.root.querySelector(".rw-layer");
    if (this.attached) return;
    this.onKey = (event) => this.key(event);
    this.onMouseUp = (event) => this.mouseUp(event);
    this.onClick = (event) => this.click(event);
    this.onUnload = (event) => {
      if (!unsavedDrafts(this.byId).length) return undefined;
      event.preventDefault();
      event.returnValue = "";
      return "";
    };
    this.onResize = () => this.fitHeight();
    window.addEventListener("resize", this.onResize);
    this.root.addEventListener("keydown", this.onKey);
    this.doc.addEventListener("mouseup", this.onMouseUp);
    this.doc.addEventListener("click", this.onClick);
    window.addEventListener("beforeunload", this.onUnload);
    this.attached = true;
  }

  detach() {
    if (!this.attached) return;
    this.root.removeEventListener("keydown", this.onKey);
    this.doc.removeEventListener("mouseup", this.onMouseUp);
    this.doc.removeEventListener("click", this.onClick);
    window.removeEventListener("beforeunload", this.onUnload);
    window.removeEventListener("resize", this.onResize);
    this.attached = false;
  }

  update(data) {
    const first = !this.root;
    this.mount();
    this.data = data;
    this.rows = data.rows || [];
    this.byId = new Map(this.rows.map((r) => [r.id, r]));
    this.categories = data.categories || QUICK_CATEGORIES;
    for (const ack of data.acks || []) this.acknowledge(ack);
    if (!this.byId.has(this.cur)) this.cur = this.startRow();
    this.render();
    if (first) { this.fitHeight(); this.focusCurrent(true); }
    this.flush();
  }

  fitHeight() {
    // The segment list ends at the window's foot, so the current segment's editor is on
    // screen without scrolling the page (measured from the page top, not the scroll).
    const scroller = this.root.closest("[data-testid=stMain]") || document.scrollingElement;
    const top = this.doc.getBoundingClientRect().top + (scroller ? scroller.scrollTop : 0);
    this.doc.style.maxHeight = Math.max(320, window.innerHeight - top - 12) + "px";
  }

  startRow() {
    const remembered = Number(sessionStorage.getItem(this.placeKey()));
    if (this.byId.has(remembered)) return remembered;
    if (this.byId.has(this.data.focus)) return this.data.focus;
    const todo = this.rows.find((r) => TODO.has(r.status) && !RESIDUE.has(r.kind));
    return (todo || this.rows[0] || { id: null }).id;
  }

  placeKey() {
    return "rw:place:" + (this.data.article_id || "");
  }

  // ------------------------------------------------------------------ events to Python
  emit(event) {
    event.rid = Math.random().toString(36).slice(2) + Date.now().toString(36);
    this.pending.set(event.rid, event);
    this.root.dataset.pending = String(this.pending.size);
    this.queue.push(event);
    this.flush();
  }

  flush() {
    if (this.inflight && this.pending.has(this.inflight)) return;
    const next = this.queue.shift();
    if (!next) { this.inflight = null; return; }
    this.inflight = next.rid;
    this.send("event", next);
  }

  acknowledge(ack) {
    if (!ack || this.seen.has(ack.rid)) return;
    this.seen.add(ack.rid);
    const event = this.pending.get(ack.rid);
    if (!event) return;
    this.pending.delete(ack.rid);
    this.root.dataset.pending = String(this.pending.size);
    if (this.inflight === ack.rid) this.inflight = null;
    this.saving.delete(event.segment_id);
    this.message = ack.message || "";
    this.failed = !ack.ok;
    if (ack.conflict) {
      this.conflict = Object.assign({ segment_id: event.segment_id, mine: event.text }, ack.conflict);
      this.cur = event.segment_id;
      this.editing = false;
      return;
    }
    if (!ack.ok) return;
    if (event.type === "save" || event.type === "resolve") {
      const draft = readDraft(event.segment_id);
      if (!draft || draft.text === event.text) dropDraft(event.segment_id);
      if (this.conflict && this.conflict.segment_id === event.segment_id) this.conflict = null;
    }
    if (event.type === "merge" || event.type === "split") this.cur = ack.segment_id;
    if (event.undo) return;
    if (event.type === "flag_add") this.undo.push({ kind: "add", flag_id: ack.flag_id });
    if (event.type === "flag_state") this.undo.push({ kind: "state", flag_id: event.flag_id, prev: event.prev });
    if (event.type === "flag_edit") this.undo.push({ kind: "edit", flag_id: event.flag_id, prev: event.prev });
    if (event.type === "flag_delete") this.undo.push({ kind: "delete", flag: event.snapshot });
  }

  // ------------------------------------------------------------------ rendering
  render() {
    // Keep the current segment where it is on screen while cards above it change height
    // (a save landing, a draft dropped), so the page never jumps under the reviewer.
    const anchorCard = this.cards.get(this.cur);
    const anchor = anchorCard && anchorCard.node.isConnected ? anchorCard.node : null;
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    const focused = document.activeElement;
    const hadFocus = focused && this.doc.contains(focused);
    const caret = focused && focused.classList.contains("rw-editor")
      ? [focused.selectionStart, focused.selectionEnd] : null;
    this.renderCards();
    if (hadFocus && !this.doc.contains(document.activeElement)) {
      this.focusCurrent(false);  // the focused card was redrawn: focus its new self
      const area = caret && this.doc.querySelector(".rw-current .rw-editor");
      if (area) area.setSelectionRange(caret[0], caret[1]);
    }
    const after = anchor && anchor.isConnected ? anchor : (this.cards.get(this.cur) || {}).node;
    if (anchor && after && after.isConnected) {
      this.doc.scrollTop += after.getBoundingClientRect().top - before;
    }
  }

  renderCards() {
    this.renderBar();
    const wanted = new Set();
    let index = 0;
    for (const row of this.rows) {
      wanted.add(row.id);
      const sig = this.signature(row);
      let card = this.cards.get(row.id);
      if (!card || card.sig !== sig) {
        const fresh = this.card(row);
        if (card && card.node.parentNode === this.doc) this.doc.replaceChild(fresh, card.node);
        card = { sig: sig, node: fresh };
        this.cards.set(row.id, card);
      }
      if (this.doc.children[index] !== card.node) {
        this.doc.insertBefore(card.node, this.doc.children[index] || null);
      }
      index++;
    }
    for (const [id, card] of this.cards) {
      if (!wanted.has(id)) { card.node.remove(); this.cards.delete(id); }
    }
    this.renderLayer();
  }

  signature(row) {
    const current = row.id === this.cur;
    const draft = readDraft(row.id);
    return JSON.stringify([row, current, current && this.editing, current && this.sug,
      this.saving.has(row.id), draft ? draft.text : null,
      this.conflict && this.conflict.segment_id === row.id ? this.conflict : null]);
  }

  renderBar() {
    const content = this.rows.filter((r) => !RESIDUE.has(r.kind));
    const approved = content.filter((r) => r.status === "approved").length;
    const todo = content.filter((r) => TODO.has(r.status)).length;
    const drafts = unsavedDrafts(this.byId).length;
    this.bar.textContent = "";
    this.bar.appendChild(el("span", "rw-progress", approved + " of " + content.length
      + " approved · " + todo + " to do" + (drafts ? " · " + drafts + " unsaved draft(s)" : "")));
    if (this.message) {
      this.bar.appendChild(el("span", this.failed ? "rw-msg rw-error" : "rw-msg", this.message));
    }
    this.bar.appendChild(button("? Keys", "Keyboard shortcuts (?)", () => this.toggleHelp()));
  }

  renderLayer() {
    this.layer.textContent = "";
    if (this.help) this.layer.appendChild(helpPanel(() => this.toggleHelp()));
    if (this.pop) this.layer.appendChild(this.pop);
  }

  card(row) {
    const current = row.id === this.cur;
    const box = el("section", "rw-seg rw-" + row.status + (current ? " rw-current" : "")
      + (RESIDUE.has(row.kind) ? " rw-residue" : ""));
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
    const counted = row.flags.filter((f) => f.state !== "dismissed" && f.on !== "corrected");
    if (counted.length) head.appendChild(el("span", "rw-count", counted.length + " flag(s)"));
    box.appendChild(head);
    const on = (field) => row.flags.filter((f) => f.on === field);
    if (row.source) box.appendChild(this.line("Source", "source", row, row.source, on("source")));
    box.appendChild(this.line("MT", "target", row, row.mt, on("target").concat(suspectMarks(row))));
    if (current) {
      for (const cand of row.candidates) {
        const line = this.line(cand.system, cand.system, row, null, []);
        renderDiff(line.querySelector(".rw-text"), cand.diff);
        box.appendChild(line);
      }
    }
    box.appendChild(this.fixLine(row, current, draft));
    if (this.conflict && this.conflict.segment_id === row.id) box.appendChild(this.conflictPanel(row));
    if (current) {
      box.appendChild(this.flagList(row));
      box.appendChild(this.tools(row));
    }
    return box;
  }

  line(label, field, row, text, flags) {
    const line = el("div", "rw-line rw-line-" + (["source", "target"].includes(field) ? field : "cand"));
    line.appendChild(el("span", "rw-label", label));
    const box = el("div", "rw-text");
    box.dataset.field = field;
    box.dataset.seg = row.id;
    box.setAttribute("aria-label", label + " of segment " + (row.position + 1));
    if (text !== null) renderMarked(box, text, flags);
    line.appendChild(box);
    return line;
  }

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
  }

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
  }

  suggestions(row) {
    return row.flags.filter((f) => f.origin === "check" && f.state === "open");
  }

  flagList(row) {
    const wrap = el("div", "rw-flags");
    const onMt = row.flags.filter((f) => f.on !== "corrected");
    const onFix = row.flags.filter((f) => f.on === "corrected");
    const cursor = this.suggestions(row)[this.sug] || null;
    const list = (title, flags, cls) => {
      if (!flags.length) return;
      wrap.appendChild(el("div", "rw-flags-title", title));
      const ul = el("ul", cls);
      for (const f of flags) ul.appendChild(this.flagItem(row, f, cursor && cursor.id === f.id));
      wrap.appendChild(ul);
    };
    list("Flags and suggestions on the MT", onMt, "rw-list");
    list("Warnings about the fix (not counted in the MT's score)", onFix, "rw-list rw-warnings");
    if (!onMt.length && !onFix.length) wrap.appendChild(el("div", "rw-none", "No flags on this segment."));
    return wrap;
  }

  flagItem(row, flag, isCursor) {
    const li = el("li", "rw-flag " + (SEVERITY_CLASS[flag.severity] || "") + (isCursor ? " rw-cursor" : ""));
    li.dataset.flag = flag.id;
    if (isCursor) li.setAttribute("aria-current", "true");
    const text = this.textOf(row, flag.on);
    const quote = flag.start === flag.end && flag.start !== null ? "[missing]"
      : flag.start !== null ? "“" + text.slice(flag.start, flag.end) + "”" : "whole segment";
    li.appendChild(el("span", "rw-sev-badge", flag.severity));
    li.appendChild(el("span", "rw-cat-name", flag.category));
    li.appendChild(el("span", "rw-quote", quote));
    li.appendChild(el("span", "rw-state", flag.state + " · "
      + (flag.origin === "check" ? "suggested by " + flag.check : flag.author)));
    if (flag.note) li.appendChild(el("span", "rw-flag-note", flag.note));
    if (flag.origin === "check" && flag.state === "open") {
      li.appendChild(button("Confirm", "Confirm this suggestion (c)", () => this.decide(flag, "confirmed")));
      li.appendChild(button("Dismiss", "Dismiss this suggestion (x)", () => this.decide(flag, "dismissed")));
    }
    li.appendChild(button("Change", "Change this flag", () => this.openFlag(row, flag, li)));
    return li;
  }

  textOf(row, on) {
    if (on === "source") return row.source;
    if (on === "target") return row.mt;
    if (on === "corrected") return row.current;
    const cand = row.candidates.find((c) => c.system === on);
    return cand ? cand.text : "";
  }

  tools(row) {
    const bar = el("div", "rw-tools");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Segment actions");
    const add = (label, title, fn, cls) => bar.appendChild(button(label, title, fn, cls));
    if (this.editing) add("Save & next", "Save and go to the next to-do segment (Ctrl+Enter)", () => this.saveAndNext(), "rw-primary");
    else add("Edit", "Edit the corrected text (Enter)", () => this.edit());
    add("Approve", "Approve the segment (a)", () => this.approve());
    add("Merge with next", "Merge with the next segment (+)", () => this.merge());
    add("Split at cursor", "Split at the editor's cursor (Alt+S)", () => this.split());
    if (RESIDUE.has(row.kind)) add("Mark as body", "Mark as body text (b)", () => this.kind("body"));
    else add("Mark as residue", "Mark as web residue (r)", () => this.kind("residue"));
    add("History", "Show history, scores and audit trail below (h)", () => this.details());
    return bar;
  }

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
  }
}

Object.assign(Workspace.prototype, WORKSPACE_ACTIONS, WORKSPACE_FLAGS);

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let ws = INSTANCES.get(parentElement);
  if (!ws) {
    ws = new Workspace(parentElement);
    INSTANCES.set(parentElement, ws);
  }
  ws.send = setTriggerValue;
  ws.update(data || {});
  return () => ws.detach();
}

// The reviewer workspace: the article's rows live here, so moving between segments and
// filtering run no Python. Saves, flags and segment operations go to Python as one trigger
// ("event") each, one at a time; Python answers with an acknowledgement per event and a
// numbered patch holding only the rows that changed.

// One workspace per person and article for the page's life. Streamlit may mount the
// component into a new host element (a rerun that rebuilds the element, a visit to another
// page and back); the workspace then moves into it with everything it holds: the events
// queued, the answers awaited, the undo list, the place.
const LIVE = window.__reviewWorkspaces || (window.__reviewWorkspaces = new Map());

class Workspace {
  constructor(parent) {
    this.parent = parent;
    this.rows = [];
    this.byId = new Map();
    this.cards = new Map();
    this.heights = new Map();
    this.order = [];
    this.index = new Map();
    this.orderDirty = true;
    this.filter = {};
    this.cur = null;
    this.editing = false;
    this.queue = [];
    this.inflight = null;
    this.pending = new Map();
    this.seen = new Set();
    this.undo = [];
    this.ownText = new Map();
    this.openRaters = new Set();
    this.suspectAsked = new Set();
    this.conflict = null;
    this.pop = null;
    this.panel = null;
    this.help = false;
    this.sug = 0;
    this.saving = new Set();
    this.message = "";
    this.startedAt = Date.now();
    this.attached = false;
    this.epoch = null;
    this.seq = -1;
  }

  mount() {
    if (this.root && !this.parent.contains(this.root)) {  // moved into a new host element
      const blank = this.parent.querySelector(".rw-root");
      if (blank) blank.replaceWith(this.root); else this.parent.appendChild(this.root);
    }
    this.root = this.root || this.parent.querySelector(".rw-root");
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
    if (!this.topPad) {
      this.topPad = el("div", "rw-pad");
      this.bottomPad = el("div", "rw-pad");
      this.doc.appendChild(this.topPad);
      this.doc.appendChild(this.bottomPad);
    }
    if (this.attached) return;
    this.onKey = (event) => this.key(event);
    this.onMouseUp = (event) => this.mouseUp(event);
    this.onClick = (event) => this.click(event);
    this.onScrollEvent = () => this.onScroll();
    this.onUnload = (event) => {
      if (!unsavedDrafts(this.byId).length) return undefined;
      event.preventDefault();
      event.returnValue = "";
      return "";
    };
    this.onResize = () => { this.fitHeight(); this.renderCards(); };
    window.addEventListener("resize", this.onResize);
    document.addEventListener("keydown", this.onKey);
    this.doc.addEventListener("mouseup", this.onMouseUp);
    this.doc.addEventListener("click", this.onClick);
    this.doc.addEventListener("scroll", this.onScrollEvent, { passive: true });
    window.addEventListener("beforeunload", this.onUnload);
    this.clock = setInterval(() => this.tick(), 1000);
    this.attached = true;
  }

  detach() {
    if (!this.attached) return;
    document.removeEventListener("keydown", this.onKey);
    this.doc.removeEventListener("mouseup", this.onMouseUp);
    this.doc.removeEventListener("click", this.onClick);
    this.doc.removeEventListener("scroll", this.onScrollEvent);
    window.removeEventListener("beforeunload", this.onUnload);
    window.removeEventListener("resize", this.onResize);
    clearInterval(this.clock);
    this.attached = false;
  }

  update(data) {
    const first = !this.root || !this.parent.contains(this.root);  // new, or moved
    this.mount();
    this.data = data;
    setVocab(data.vocab);
    setDraftOwner(data.user);
    if (!this.takeRows(data)) return;
    this.root.dataset.article = String(data.article_id);
    for (const ack of data.acks || []) this.acknowledge(ack);
    if (!this.byId.has(this.cur)) this.cur = this.startRow();
    this.render();
    if (first) {
      this.fitHeight();
      this.remember(this.cur);
      this.focusCurrent(true);
    }
    this.flush();
  }

  takeRows(data) {
    // All rows (a new epoch) or the patches after the last one applied; a gap asks for all.
    if (data.full) {
      this.epoch = data.epoch;
      this.seq = data.seq;
      this.setRows(data.full);
    } else if (data.epoch !== this.epoch) {
      if (!this.syncAsked) { this.syncAsked = true; this.send("event", { type: "sync", rid: "sync-" + Date.now() }); }
      return false;
    }
    const patches = (data.patches || []).filter((p) => p.seq > this.seq);
    if (patches.length && patches[0].seq !== this.seq + 1) {
      this.epoch = null;
      this.syncAsked = false;
      return this.takeRows({ epoch: data.epoch + "-gap" });
    }
    for (const patch of patches) {
      const gone = new Set(patch.gone);
      for (const row of patch.rows) this.byId.set(row.id, row);
      this.rows = this.rows.map((r) => this.byId.get(r.id)).filter((r) => r && !gone.has(r.id));
      for (const id of gone) this.byId.delete(id);
      this.seq = patch.seq;
      this.orderDirty = true;
    }
    this.syncAsked = false;
    return true;
  }

  setRows(rows) {
    this.suspectAsked = new Set();
    this.rows = rows;
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.orderDirty = true;
  }

  fitHeight() {
    // The segment list ends at the window's foot, so the current segment's editor is on
    // screen without scrolling the page (measured from the page top, not the scroll).
    const scroller = this.root.closest("[data-testid=stMain]") || document.scrollingElement;
    const top = this.doc.getBoundingClientRect().top + (scroller ? scroller.scrollTop : 0);
    this.doc.style.height = Math.max(320, window.innerHeight - top - 12) + "px";
  }

  startRow() {
    if (this.byId.has(this.data.focus)) return this.data.focus;
    const remembered = Number(sessionStorage.getItem(this.placeKey()));
    if (this.byId.has(remembered)) return remembered;
    const todo = this.rows.find((r) => isTodo(r) && !isResidue(r));
    return (todo || this.rows[0] || { id: null }).id;
  }

  placeKey() {
    return "rw:place:" + (this.data.article_id || "");
  }

  // ------------------------------------------------------------------ events to Python
  emit(event) {
    event.rid = Math.random().toString(36).slice(2) + Date.now().toString(36);
    event.have = this.seq;  // the patches up to here need not be sent again
    this.pending.set(event.rid, event);
    this.root.dataset.pending = String(this.pending.size);
    this.queue.push(event);
    this.flush();
    return event;
  }

  flush() {
    if (this.inflight && this.pending.has(this.inflight)) return;
    const next = this.queue.shift();
    if (!next) { this.inflight = null; return; }
    this.inflight = next.rid;
    this.settleVersion(next);
    this.send("event", next);
  }

  settleVersion(event) {
    // Send the version last seen *after* the reviewer's own earlier actions landed: when
    // the text is still the one the action was made on (or her own save), build on the
    // newest version; only somebody else's text change conflicts.
    const row = this.byId.get(event.segment_id);
    if (row && event.latest) event.version = row.version;  // undoing her own action
    if (!row || event.version === undefined) return;
    const mine = this.ownText.get(row.id);
    if (event.latest || row.current === event.seen || (mine !== undefined && row.current === mine)) {
      event.version = row.version;
    }
    delete event.seen;
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
    if (ack.message || !ack.ok) { this.message = ack.message || ""; this.failed = !ack.ok; }
    if (ack.conflict) {
      this.conflict = Object.assign({ segment_id: event.segment_id, mine: event.text }, ack.conflict);
      this.cur = event.segment_id;
      this.editing = false;
      return;
    }
    if (!ack.ok) return;
    if (event.type === "save" || event.type === "resolve") {
      if (event.text !== undefined) this.ownText.set(event.segment_id, event.text);
      const draft = readDraft(event.segment_id);
      if (!draft || draft.text === event.text) dropDraft(event.segment_id);
      if (this.conflict && this.conflict.segment_id === event.segment_id) this.conflict = null;
    }
    if (event.type === "merge" || event.type === "split") this.cur = ack.segment_id;
    if (ack.concordance) this.showConcordance(ack.concordance, event.query);
    if (ack.glossary) this.showGlossary(ack.glossary);
    if (ack.undo && !event.undo) this.undo.push(ack.undo);
  }

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

  signature(row) {
    const current = row.id === this.cur;
    const draft = readDraft(row.id);
    return JSON.stringify([row, current, current && this.editing, current && this.sug,
      current && this.allSystems, this.saving.has(row.id), draft ? draft.text : null,
      this.conflict && this.conflict.segment_id === row.id ? this.conflict : null]);
  }

  renderLayer() {
    this.layer.textContent = "";
    if (this.help) this.layer.appendChild(helpPanel(() => this.toggleHelp()));
    if (this.panel) this.layer.appendChild(this.panel);
    if (this.pop) this.layer.appendChild(this.pop);
  }
}

Object.assign(Workspace.prototype, WORKSPACE_RENDER, WORKSPACE_LIST, WORKSPACE_ACTIONS,
  WORKSPACE_FLAGS, WORKSPACE_TOOLS);

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  const key = JSON.stringify([data && data.user, data && data.article_id]);
  let ws = LIVE.get(key);
  if (!ws) {
    ws = new Workspace(parentElement);
    LIVE.set(key, ws);
  }
  ws.parent = parentElement;
  ws.send = setTriggerValue;
  ws.update(data || {});
  return () => { if (ws.parent === parentElement) ws.detach(); };
}

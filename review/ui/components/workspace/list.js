// The segment list: filters and ordering (run here, no server), the bar above the list,
// and a virtual list that draws only the cards near the viewport, so a 5,000-segment
// article has a few dozen cards in the page. Mixed into the Workspace class (main.js).

const ESTIMATE_PX = 70;  // a card's height before it has been drawn and measured
const OVERSCAN = 10;     // cards drawn beyond each edge of the viewport
const SUSPECT_AHEAD = 150;  // rows beyond the drawn ones read whole (with suspect spans) along

const WORKSPACE_LIST = {
  computeOrder() {
    const f = this.filter;
    let rows = this.rows.filter((r) => (!f.status || (f.status === "open" ? isTodo(r) : r.status === f.status))
      && (!f.kind || r.kind === f.kind) && (!f.flagged || counted(r).length > 0));
    if (f.risk) {
      rows = rows.slice().sort((a, b) => (isResidue(a) - isResidue(b))
        || ((b.risk || 0) - (a.risk || 0)) || (a.position - b.position));
    }
    this.order = rows.map((r) => r.id);
    this.index = new Map(this.order.map((id, i) => [id, i]));
    this.orderDirty = false;
  },

  heightOf(id) {
    return this.heights.get(id) || this.average || ESTIMATE_PX;
  },

  offsetOf(index) {
    let y = 0;
    for (let i = 0; i < index; i++) y += this.heightOf(this.order[i]);
    return y;
  },

  range() {
    // The cards that cover the viewport, plus some on each side; the current one always.
    const n = this.order.length;
    if (n <= VOCAB.draw_all_up_to) return [0, n];  // a short article is drawn whole
    const top = this.doc.scrollTop;
    const view = this.doc.clientHeight || 600;
    let y = 0;
    let i = 0;
    while (i < n && y + this.heightOf(this.order[i]) < top) { y += this.heightOf(this.order[i]); i++; }
    let j = i;
    while (j < n && y < top + view) { y += this.heightOf(this.order[j]); j++; }
    return [Math.max(0, i - OVERSCAN), Math.min(n, j + OVERSCAN)];
  },

  renderCards() {
    if (this.orderDirty) this.computeOrder();
    this.renderBar();
    const [start, end] = this.range();
    this.drawn = [start, end];
    const ids = this.order.slice(start, end);
    const wanted = new Set(ids);
    for (const [id, card] of this.cards) {
      if (!wanted.has(id)) { card.node.remove(); this.cards.delete(id); }
    }
    let prev = this.topPad;
    for (const id of ids) {
      const row = this.byId.get(id);
      const sig = this.signature(row);
      let card = this.cards.get(id);
      if (!card || card.sig !== sig) {
        const fresh = this.card(row);
        if (card && card.node.parentNode === this.doc) this.doc.replaceChild(fresh, card.node);
        card = { sig: sig, node: fresh };
        this.cards.set(id, card);
      }
      if (prev.nextSibling !== card.node) this.doc.insertBefore(card.node, prev.nextSibling);
      prev = card.node;
    }
    const first = ids.length ? this.index.get(ids[0]) : 0;
    const last = ids.length ? this.index.get(ids[ids.length - 1]) + 1 : 0;
    for (const id of ids) this.heights.set(id, this.cards.get(id).node.offsetHeight || ESTIMATE_PX);
    let total = 0;
    for (const h of this.heights.values()) total += h;
    this.average = this.heights.size ? total / this.heights.size : ESTIMATE_PX;
    this.topPad.style.height = this.offsetOf(first) + "px";
    let below = 0;
    for (let i = last; i < this.order.length; i++) below += this.heightOf(this.order[i]);
    this.bottomPad.style.height = below + "px";
    this.renderLayer();
    this.askSuspects(start, end);
  },

  askSuspects(start, end) {
    // A long article comes without suspect spans, and lean away from where the reviewer
    // started: when a drawn card lacks them, ask once for its rows whole over a wide
    // stretch around the viewport, so moving on rarely waits for another ask.
    const lacking = (id) => this.byId.get(id).suspect === null && !this.suspectAsked.has(id);
    if (!this.order.slice(start, end).some(lacking)) return;
    const wanted = this.order.slice(Math.max(0, start - SUSPECT_AHEAD), end + SUSPECT_AHEAD)
      .filter(lacking);
    for (const id of wanted) this.suspectAsked.add(id);
    this.emit({ type: "suspect", ids: wanted });
  },

  onScroll() {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      const [start, end] = this.range();
      if (!this.drawn || start < this.drawn[0] || end > this.drawn[1]) this.renderCards();
    });
  },

  scrollToCurrent() {
    // Bring the current card into the drawn window (it may be far from the viewport).
    const at = this.index.get(this.cur);
    if (at === undefined) return;
    const y = this.offsetOf(at);
    const top = this.doc.scrollTop;
    const view = this.doc.clientHeight || 600;
    if (y < top || y + this.heightOf(this.cur) > top + view) {
      this.doc.scrollTop = Math.max(0, y - 8);
      this.renderCards();
    }
  },

  buildBar() {
    this.bar.textContent = "";
    this.progress = el("span", "rw-progress");
    this.timer = el("span", "rw-timer");
    this.timer.setAttribute("aria-label", "Time on this segment");
    const pick = (label, options, onChange) => {
      const select = el("select", "rw-filter");
      select.setAttribute("aria-label", label);
      for (const [value, text] of options) select.appendChild(new Option(text, value));
      select.addEventListener("change", () => onChange(select.value));
      return select;
    };
    const statuses = [["", "All statuses"], ["open", "To do"]].concat(VOCAB.statuses.map((s) => [s, s]));
    const kinds = [["", "All kinds"]].concat(VOCAB.kinds.map((k) => [k, k]));
    const filters = el("span", "rw-filters");
    filters.appendChild(pick("Status filter", statuses, (v) => this.setFilter({ status: v })));
    filters.appendChild(pick("Kind filter", kinds, (v) => this.setFilter({ kind: v })));
    const flagged = el("label", "rw-check");
    const box = el("input");
    box.type = "checkbox";
    box.setAttribute("aria-label", "Only segments with flags");
    box.addEventListener("change", () => this.setFilter({ flagged: box.checked }));
    flagged.appendChild(box);
    flagged.appendChild(document.createTextNode(" Has flags"));
    filters.appendChild(flagged);
    filters.appendChild(pick("Order", [["", "Position"], ["risk", "Risk (worst first)"]],
      (v) => this.setFilter({ risk: v === "risk" })));
    this.msg = el("span", "rw-msg");
    this.bar.appendChild(this.progress);
    this.bar.appendChild(this.timer);
    this.bar.appendChild(filters);
    this.bar.appendChild(this.msg);
    const tools = el("span", "rw-bar-tools");
    tools.appendChild(button("Replace", "Find and replace across the article (F)", () => this.openReplace()));
    tools.appendChild(button("? Keys", "Keyboard shortcuts (?)", () => this.toggleHelp()));
    this.bar.appendChild(tools);
  },

  setFilter(change) {
    this.filter = Object.assign({}, this.filter, change);
    this.orderDirty = true;
    this.computeOrder();
    if (!this.index.has(this.cur) && this.order.length) this.cur = this.order[0];
    this.doc.scrollTop = 0;
    this.render();
    if (this.filter.risk && this.rows.some((r) => !isResidue(r) && (r.risk === null || r.risk === undefined))) {
      this.emit({ type: "rank", article_id: this.data.article_id });
    }
    if (!this.order.length) this.say("No segment matches the filters.");
  },

  renderBar() {
    if (!this.progress) this.buildBar();
    let content = 0;
    let approved = 0;
    let todo = 0;
    for (const r of this.rows) {
      if (isResidue(r)) continue;
      content++;
      if (r.status === VOCAB.done) approved++;
      if (isTodo(r)) todo++;
    }
    const drafts = unsavedDrafts(this.byId).length;
    this.progress.textContent = approved + " of " + content + " approved · " + todo + " to do"
      + (drafts ? " · " + drafts + " unsaved draft(s)" : "")
      + (this.order && this.order.length !== this.rows.length ? " · " + this.order.length + " shown" : "");
    this.msg.textContent = this.message || "";
    this.msg.className = this.failed ? "rw-msg rw-error" : "rw-msg";
    this.tick();
  },

  tick() {
    if (!this.timer) return;
    const s = Math.floor((Date.now() - this.startedAt) / 1000);
    const row = this.byId.get(this.cur);
    this.timer.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0")
      + (row ? " on segment " + (row.position + 1) : "");
  },
};

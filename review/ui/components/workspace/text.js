// Text helpers: build DOM from untrusted text (textContent only, never parsed as markup),
// highlight flags at exact offsets, read selections back as offsets, snap to words.

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function button(label, title, onClick, cls) {
  const node = el("button", "rw-btn" + (cls ? " " + cls : ""), label);
  node.type = "button";
  node.title = title;
  node.setAttribute("aria-label", title);
  node.addEventListener("click", (event) => { event.stopPropagation(); onClick(event); });
  return node;
}

const SEVERITY_CLASS = { Major: "rw-major", Minor: "rw-minor", Neutral: "rw-neutral",
  Critical: "rw-critical" };

function flagClass(flag) {
  if (flag.suspect) return "rw-mark rw-suspect";
  const parts = ["rw-mark", SEVERITY_CLASS[flag.severity] || "rw-minor"];
  if (flag.origin === "check" && flag.state === "open") parts.push("rw-suggested");
  if (flag.state === "dismissed") parts.push("rw-dismissed");
  return parts.join(" ");
}

function flagTitle(flag) {
  if (flag.suspect) return "suspect: the retranslation does not support these words (g flags them)";
  const who = flag.origin === "check" ? "suggested by " + flag.check : flag.author;
  return flag.severity + " · " + flag.category + " · " + flag.state + " · " + who
    + (flag.note ? " · " + flag.note : "");
}

// Fill `box` with `text`, wrapping each flag's characters in a mark. Overlapping flags
// nest by cutting the text at every boundary; a flag with start == end (an omission) is
// an empty marker whose label comes from CSS, so it adds nothing to the text's offsets.
function renderMarked(box, text, flags) {
  box.textContent = "";
  const spans = flags.filter((f) => f.start !== null && f.end !== null
    && f.state !== "dismissed" && f.start >= 0 && f.end <= text.length);
  const cuts = new Set([0, text.length]);
  for (const f of spans) { cuts.add(f.start); cuts.add(f.end); }
  const points = Array.from(cuts).sort((a, b) => a - b);
  for (let i = 0; i < points.length; i++) {
    const at = points[i];
    for (const f of spans) {
      if (f.start === f.end && f.start === at) {
        const gap = el("span", "rw-missing " + (SEVERITY_CLASS[f.severity] || ""));
        gap.dataset.flag = f.id;
        gap.title = flagTitle(f);
        gap.setAttribute("role", "mark");
        gap.setAttribute("aria-label", "missing: " + flagTitle(f));
        gap.dataset.skip = "1";
        box.appendChild(gap);
      }
    }
    if (i + 1 >= points.length) break;
    const end = points[i + 1];
    if (end <= at) continue;
    const piece = text.slice(at, end);
    const over = spans.filter((f) => f.start < f.end && f.start <= at && f.end >= end);
    if (!over.length) { box.appendChild(document.createTextNode(piece)); continue; }
    const top = over.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    const mark = el("mark", flagClass(top), piece);
    mark.dataset.flag = top.id;
    if (top.suspect) { mark.dataset.suspectStart = top.start; mark.dataset.suspectEnd = top.end; }
    mark.title = over.map(flagTitle).join("\n");
    box.appendChild(mark);
  }
}

// Suspect spans (MT words the retranslation does not support) not covered by a flag, as
// marks lighter than any flag: `suspect` tells them apart, `key` names them.
function suspectMarks(row) {
  const flagged = row.flags.filter((f) => f.on === "target" && f.state !== "dismissed"
    && f.start !== null && f.end !== null);
  return (row.suspect || [])
    .filter(([a, b]) => !flagged.some((f) => f.start < b && a < f.end))
    .map(([a, b], i) => ({ id: "suspect-" + i, suspect: true, start: a, end: b,
      state: "open", severity: "", category: "" }));
}

function rank(flag) {
  if (flag.suspect) return 0;
  return { Critical: 4, Major: 3, Minor: 2, Neutral: 1 }[flag.severity] || 0;
}

// Word diff of a retranslation against the MT: deletions are shown but are not part of the
// retranslation's text, so they carry data-skip and offsets ignore them.
function renderDiff(box, ops) {
  box.textContent = "";
  for (const [kind, text] of ops) {
    if (kind === "equal") box.appendChild(document.createTextNode(text));
    else if (kind === "insert") box.appendChild(el("ins", "rw-ins", text));
    else {
      const gone = el("del", "rw-del", text);
      gone.dataset.skip = "1";
      box.appendChild(gone);
    }
  }
}

function skipped(node, box) {
  for (let n = node.nodeType === 1 ? node : node.parentNode; n && n !== box; n = n.parentNode) {
    if (n.dataset && n.dataset.skip) return true;
  }
  return false;
}

// The character offset of (node, offset) inside `box`'s text, not counting skipped parts.
function offsetIn(box, node, offset) {
  if (node.nodeType !== 3) {  // an element boundary: count the text before child `offset`
    const before = document.createRange();
    before.setStart(box, 0);
    before.setEnd(node, offset);
    return countText(box, before);
  }
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let total = 0;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t === node) return total + offset;
    if (!skipped(t, box)) total += t.textContent.length;
  }
  return total;
}

function countText(box, range) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let total = 0;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!range.intersectsNode(t) || skipped(t, box)) continue;
    let a = 0;
    let b = t.textContent.length;
    if (t === range.startContainer) a = range.startOffset;
    if (t === range.endContainer) b = range.endOffset;
    total += Math.max(0, b - a);
  }
  return total;
}

const WORD_CHAR = /[\p{L}\p{N}_'’\-]/u;
const CJK_CHAR = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/u;

// Widen [start, end) to whole words; a click (start == end) takes the word it falls in.
// CJK characters are words of their own (no spaces to find the edges by).
function snapToWords(text, start, end) {
  const isWord = (ch) => ch !== undefined && WORD_CHAR.test(ch) && !CJK_CHAR.test(ch);
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (s === e) {
    if (isWord(text[s]) || CJK_CHAR.test(text[s] || "")) e = s + 1;
    else if (s > 0 && isWord(text[s - 1])) s -= 1;
    else return null;
  }
  while (s > 0 && isWord(text[s - 1]) && isWord(text[s])) s--;
  while (e < text.length && isWord(text[e]) && isWord(text[e - 1])) e++;
  return { start: s, end: e };
}

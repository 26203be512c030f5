// Text helpers: build DOM from untrusted text (textContent only, never parsed as markup),
// highlight flags at exact offsets, read selections back as offsets, snap to words, diff.
// The domain's words (severities, categories, statuses, keys) arrive from Python in VOCAB.

let VOCAB = { severities: [], severity_keys: {}, categories: [], quick: [], statuses: [],
  todo: [], done: "", kinds: [], residue: [], keymap: [], spaceless: [], systems_shown: 3,
  omission: "" };

function setVocab(vocab) { if (vocab && vocab.severities) VOCAB = vocab; }
function isResidue(row) { return VOCAB.residue.includes(row.kind); }
function isTodo(row) { return VOCAB.todo.includes(row.status); }
function sevClass(severity) { return severity ? "rw-" + String(severity).toLowerCase() : ""; }

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

function flagClass(flag) {
  if (flag.suspect) return "rw-mark rw-suspect";
  const parts = ["rw-mark", sevClass(flag.severity) || "rw-minor"];
  if (flag.origin === "check" && flag.state === "open") parts.push("rw-suggested");
  if (flag.origin === "import") parts.push("rw-expert");
  if (flag.state === "dismissed") parts.push("rw-dismissed");
  return parts.join(" ");
}

function flagTitle(flag) {
  if (flag.suspect) return "suspect: the retranslation does not support these words (g flags them)";
  const who = flag.origin === "check" ? "suggested by " + flag.check : flag.author;
  return flag.severity + " · " + flag.category + " · " + flag.state + " · " + who
    + (flag.note ? " · " + flag.note : "");
}

function rank(flag) {
  if (flag.suspect) return 0;
  return VOCAB.severities.indexOf(flag.severity) + 1;
}

// Fill `box` with `text`, wrapping each flag's characters in a mark. Overlapping flags
// nest by cutting the text at every boundary; a flag with start == end (an omission) is
// an empty marker whose label comes from CSS, so it adds nothing to the text's offsets.
// `diff` (optional) marks inserted words and shows deleted ones, which offsets skip.
function renderMarked(box, text, flags, diff) {
  box.textContent = "";
  const spans = flags.filter((f) => f.start !== null && f.end !== null
    && f.state !== "dismissed" && f.start >= 0 && f.end <= text.length);
  const ins = diff ? diff.ins : [];
  const dels = diff ? diff.dels : [];
  const cuts = new Set([0, text.length]);
  for (const f of spans) { cuts.add(f.start); cuts.add(f.end); }
  for (const [a, b] of ins) { cuts.add(a); cuts.add(b); }
  for (const [at] of dels) cuts.add(at);
  const points = Array.from(cuts).sort((a, b) => a - b);
  for (let i = 0; i < points.length; i++) {
    const at = points[i];
    for (const [pos, gone] of dels) {
      if (pos !== at) continue;
      const del = el("del", "rw-del", gone);
      del.dataset.skip = "1";
      box.appendChild(del);
    }
    for (const f of spans) {
      if (f.start === f.end && f.start === at) {
        const gap = el("span", "rw-missing " + sevClass(f.severity));
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
    const inserted = ins.some(([a, b]) => a <= at && b >= end);
    if (!over.length) {
      box.appendChild(inserted ? el("ins", "rw-ins", piece) : document.createTextNode(piece));
      continue;
    }
    const top = over.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    const mark = el("mark", flagClass(top) + (inserted ? " rw-ins" : ""), piece);
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
    if (t === node) return skipped(t, box) ? total : total + offset;
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

// Scripts without spaces between words (ranges from Python): kept character by character.
function isSpaceless(ch) {
  return ch !== undefined && VOCAB.spaceless.some(([lo, hi]) => lo <= ch && ch <= hi);
}

const LETTER = /[\p{L}\p{N}]/u;
function inWord(ch) {
  return ch !== undefined && (LETTER.test(ch) || "_'’-".includes(ch)) && !isSpaceless(ch);
}

// Widen [start, end) to whole words where spaces separate words; in Chinese, Japanese or
// Thai keep exactly the characters selected. The server (review/text/spans.py) snaps alike.
function snapToWords(text, start, end) {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (s === e) {
    if (inWord(text[s]) || isSpaceless(text[s])) e = s + 1;
    else if (s > 0 && inWord(text[s - 1])) s -= 1;
    else return null;
  }
  while (s > 0 && inWord(text[s - 1]) && inWord(text[s])) s--;
  while (e < text.length && inWord(text[e]) && inWord(text[e - 1])) e++;
  return { start: s, end: e };
}

const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;

function tokens(text) {
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[0].length > 1 && isSpaceless(m[0][0])) {
      for (let i = 0; i < m[0].length; i++) out.push([m[0][i], m.index + i]);
    } else out.push([m[0], m.index]);
  }
  return out;
}

// Words of `newer` not in `older` (spans of `newer`) and words of `older` gone (at their
// place in `newer`): a longest-common-subsequence over word tokens, drawn only for the
// segment on screen, so the server never diffs a whole article.
function wordDiff(older, newer) {
  const a = tokens(older);
  const b = tokens(newer);
  const n = a.length;
  const m = b.length;
  const out = { ins: [], dels: [] };
  if (n * m > 400000) return out;  // too long to align here: shown without marks
  const w = m + 1;
  const dp = new Int32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * w + j] = a[i][0] === b[j][0] ? dp[(i + 1) * w + j + 1] + 1
        : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  const pos = (k) => (k < m ? b[k][1] : newer.length);
  const insert = (k) => {
    const last = out.ins[out.ins.length - 1];
    const end = b[k][1] + b[k][0].length;
    if (last && last[1] === b[k][1]) last[1] = end; else out.ins.push([b[k][1], end]);
  };
  const remove = (k, at) => {
    const last = out.dels[out.dels.length - 1];
    if (last && last[0] === at) last[1] += a[k][0]; else out.dels.push([at, a[k][0]]);
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i][0] === b[j][0]) { i++; j++; }
    else if (j >= m || (i < n && dp[(i + 1) * w + j] >= dp[i * w + j + 1])) { remove(i, pos(j)); i++; }
    else { insert(j); j++; }
  }
  out.ins = out.ins.filter(([s, e]) => newer.slice(s, e).trim());
  out.dels = out.dels.filter(([, t]) => t.trim());
  return out;
}

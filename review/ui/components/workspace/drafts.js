// Drafts live in the browser (localStorage), keyed by segment and the version they started
// from, so a switch, a reload or a lost connection never loses typed text.

const DRAFT_PREFIX = "rw:draft:";

function draftKey(segmentId, version) {
  return DRAFT_PREFIX + segmentId + ":" + version;
}

function readDraft(segmentId) {
  // The newest draft of the segment, whatever version it started from.
  let found = null;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(DRAFT_PREFIX + segmentId + ":")) continue;
      const value = JSON.parse(localStorage.getItem(key) || "null");
      if (value && (!found || value.at > found.at)) found = value;
    }
  } catch (err) {
    return null;
  }
  return found;
}

function writeDraft(segmentId, version, from, text) {
  try {
    dropDraft(segmentId);
    localStorage.setItem(draftKey(segmentId, version),
      JSON.stringify({ id: segmentId, v: version, from: from, text: text, at: Date.now() }));
  } catch (err) {
    // storage full or disabled: the draft still lives in the editor
  }
}

function dropDraft(segmentId) {
  try {
    const doomed = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(DRAFT_PREFIX + segmentId + ":")) doomed.push(key);
    }
    doomed.forEach((key) => localStorage.removeItem(key));
  } catch (err) {
    // nothing to drop
  }
}

function unsavedDrafts(rowsById) {
  // Drafts whose text differs from what the segment holds now.
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(DRAFT_PREFIX)) continue;
      const value = JSON.parse(localStorage.getItem(key) || "null");
      const row = value && rowsById.get(value.id);
      if (row && value.text !== row.current) out.push(value);
    }
  } catch (err) {
    return out;
  }
  return out;
}

// Drafts live in the browser (localStorage), keyed by the person, the segment and the
// version they started from: a switch, a reload or a lost connection never loses typed
// text, and another account on the same browser never opens somebody else's draft.

const DRAFT_PREFIX = "rw:draft:";
let DRAFT_OWNER = "";

function setDraftOwner(name) { DRAFT_OWNER = String(name || ""); }

function ownerPrefix() {
  return DRAFT_PREFIX + encodeURIComponent(DRAFT_OWNER) + ":";
}

function draftKey(segmentId, version) {
  return ownerPrefix() + segmentId + ":" + version;
}

function draftKeys(prefix) {
  const keys = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix)) keys.push(key);
    }
  } catch (err) {
    return keys;  // storage disabled: the draft still lives in the editor
  }
  return keys;
}

function readDraft(segmentId) {
  // The person's newest draft of the segment, whatever version it started from.
  let found = null;
  for (const key of draftKeys(ownerPrefix() + segmentId + ":")) {
    try {
      const value = JSON.parse(localStorage.getItem(key) || "null");
      if (value && (!found || value.at > found.at)) found = value;
    } catch (err) {
      // a damaged entry is no draft
    }
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
  for (const key of draftKeys(ownerPrefix() + segmentId + ":")) {
    try { localStorage.removeItem(key); } catch (err) { /* nothing to drop */ }
  }
}

function unsavedDrafts(rowsById) {
  // The person's drafts whose text differs from what the segment holds now.
  const out = [];
  for (const key of draftKeys(ownerPrefix())) {
    try {
      const value = JSON.parse(localStorage.getItem(key) || "null");
      const row = value && rowsById.get(value.id);
      if (row && value.text !== row.current) out.push(value);
    } catch (err) {
      // a damaged entry is no draft
    }
  }
  return out;
}

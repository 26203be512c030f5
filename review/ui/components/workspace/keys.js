// The keyboard map: one table drives both the key handling and the `?` help.

const KEYMAP = [
  ["j / ↓", "next segment"],
  ["k / ↑", "previous segment"],
  ["Enter / e", "edit the corrected text"],
  ["Ctrl+Enter / ⌘+Enter", "save and go to the next to-do segment"],
  ["Esc", "stop editing (the draft is kept) / close"],
  ["a", "approve the segment"],
  ["s", "move to the next suggestion"],
  ["c / x", "confirm / dismiss the suggestion under the cursor"],
  ["u", "undo the last flag action"],
  ["M / m / n", "with words selected: Major / Minor / Neutral flag"],
  ["1 … 9", "in the flag box: the category from the numbered list"],
  ["f", "find words in the MT (↓ next occurrence, Enter selects them)"],
  ["o", "with a word selected in the MT: something is missing before it"],
  ["g", "flag the next suspect span (dotted: words the retranslation does not support)"],
  ["+", "merge with the next segment"],
  ["Alt+S", "while editing: split at the cursor"],
  ["r / b", "mark as web residue / as body text"],
  ["h", "show history, scores and audit trail below"],
  ["?", "show or hide this help"],
];

const QUICK_CATEGORIES = [
  "Accuracy/Mistranslation", "Accuracy/Omission", "Accuracy/Addition", "Fluency/Grammar",
  "Fluency/Punctuation", "Fluency/Spelling", "Terminology/Inappropriate for context",
  "Style/Awkward", "Other",
];

const SEVERITY_KEYS = { M: "Major", m: "Minor", n: "Neutral" };

function isSaveKey(event) {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey);
}

function helpPanel(onClose) {
  const panel = el("div", "rw-help");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Keyboard shortcuts");
  panel.appendChild(el("h3", "", "Keyboard shortcuts"));
  const table = el("table");
  for (const [key, what] of KEYMAP) {
    const tr = el("tr");
    tr.appendChild(el("th", "", key));
    tr.appendChild(el("td", "", what));
    table.appendChild(tr);
  }
  panel.appendChild(table);
  panel.appendChild(el("p", "", "Drag over words (or click one) in the source, MT, a "
    + "retranslation or the corrected text to flag them; click a flag to change it."));
  panel.appendChild(button("Close", "Close the help (Esc)", onClose));
  return panel;
}

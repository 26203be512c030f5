// The keyboard: the table of keys comes from Python (VOCAB.keymap) and drives the help.

function isSaveKey(event) {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey);
}

function helpPanel(onClose) {
  const panel = el("div", "rw-help");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Keyboard shortcuts");
  panel.appendChild(el("h3", "", "Keyboard shortcuts"));
  const table = el("table");
  for (const [key, what] of VOCAB.keymap) {
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

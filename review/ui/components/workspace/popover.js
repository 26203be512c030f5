// The flag box: severity, category and note for a new span, or changes to an existing flag.
// Nothing is saved until the reviewer says so (Enter or the Save button): once a severity
// and a category are chosen the note field takes the keys, so a Major flag with a note is
// M, the category's number, the note, Enter.

function flagBox(ctx) {
  const box = el("div", "rw-pop");
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", ctx.flag ? "Change the flag" : "Flag the selected words");
  const chosen = {
    severity: ctx.flag ? ctx.flag.severity : ctx.severity || null,
    category: ctx.flag ? ctx.flag.category : ctx.category || null,
  };
  const quote = ctx.spanText ? "“" + ctx.spanText + "”" : "missing text";
  box.appendChild(el("div", "rw-pop-head", quote + " · " + ctx.onLabel));

  const sevRow = el("div", "rw-pop-row");
  const sevButtons = {};
  for (const [key, name] of Object.entries(VOCAB.severity_keys)) {
    const b = button(name + " (" + key + ")", name + " severity, key " + key,
      () => pick("severity", name), "rw-sev " + sevClass(name));
    sevButtons[name] = b;
    sevRow.appendChild(b);
  }
  box.appendChild(sevRow);

  const list = el("ol", "rw-cats");
  const catButtons = {};
  VOCAB.quick.forEach((name, i) => {
    const li = el("li");
    const b = button((i + 1) + " " + name, "Category " + name + ", key " + (i + 1),
      () => pick("category", name), "rw-cat");
    catButtons[name] = b;
    li.appendChild(b);
    list.appendChild(li);
  });
  if (!ctx.fixedCategory) box.appendChild(list);

  const more = el("select", "rw-more");
  more.setAttribute("aria-label", "All MQM categories");
  more.appendChild(new Option("All categories…", ""));
  for (const name of VOCAB.categories) more.appendChild(new Option(name, name));
  more.addEventListener("change", () => { if (more.value) pick("category", more.value); });
  if (!ctx.fixedCategory) box.appendChild(more);

  const note = el("input", "rw-note");
  note.type = "text";
  note.placeholder = "Note (optional), Enter saves";
  note.setAttribute("aria-label", "Note");
  note.value = ctx.flag ? ctx.flag.note || "" : "";
  box.appendChild(note);

  const actions = el("div", "rw-pop-row");
  actions.appendChild(button(ctx.flag ? "Save changes" : "Save flag",
    ctx.flag ? "Save the flag's changes (Enter)" : "Save the flag (Enter)", submit, "rw-primary"));
  if (ctx.flag) {
    if (ctx.flag.origin === "check" && ctx.flag.state === "open") {
      actions.appendChild(button("Confirm", "Confirm the suggestion (c)",
        () => ctx.onState("confirmed")));
      actions.appendChild(button("Dismiss", "Dismiss the suggestion (x)",
        () => ctx.onState("dismissed")));
    }
    if (ctx.flag.origin === "reviewer") {
      actions.appendChild(button("Delete", "Delete the flag", ctx.onDelete, "rw-danger"));
    }
  } else if (ctx.canMarkMissing) {
    actions.appendChild(button("Missing before this (o)",
      "Mark an omission at this place in the MT", ctx.onMissing));
  }
  actions.appendChild(button("Close", "Close (Esc)", ctx.onClose));
  box.appendChild(actions);
  const hint = el("div", "rw-pop-hint");
  box.appendChild(hint);
  refresh();

  function refresh() {
    for (const [name, b] of Object.entries(sevButtons)) {
      b.setAttribute("aria-pressed", String(chosen.severity === name));
    }
    for (const [name, b] of Object.entries(catButtons)) {
      b.setAttribute("aria-pressed", String(chosen.category === name));
    }
    if (chosen.category && !catButtons[chosen.category]) more.value = chosen.category;
    hint.textContent = !chosen.severity ? "Choose a severity."
      : !chosen.category ? "Choose a category (1-9 or the list)."
        : "Type a note if you like; Enter saves, Esc closes.";
  }

  function pick(what, value) {
    chosen[what] = value;
    refresh();
    if (chosen.severity && chosen.category) note.focus({ preventScroll: true });
  }

  function submit() {
    if (!chosen.severity || !chosen.category) { refresh(); hint.classList.add("rw-error"); return; }
    ctx.onSubmit({ severity: chosen.severity, category: chosen.category, note: note.value });
  }

  box.handleKey = (event) => {
    if (event.target === note || event.target === more) {
      if (event.key === "Enter") { event.preventDefault(); submit(); }
      return event.key === "Enter";
    }
    if (VOCAB.severity_keys[event.key]) { pick("severity", VOCAB.severity_keys[event.key]); return true; }
    if (/^[1-9]$/.test(event.key) && !ctx.fixedCategory) {
      const name = VOCAB.quick[Number(event.key) - 1];
      if (name) pick("category", name);
      return true;
    }
    if (event.key === "Enter") { submit(); return true; }
    if (event.key === "o" && ctx.canMarkMissing) { ctx.onMissing(); return true; }
    if (ctx.flag && event.key === "c") { ctx.onState("confirmed"); return true; }
    if (ctx.flag && event.key === "x") { ctx.onState("dismissed"); return true; }
    return false;
  };
  return box;
}

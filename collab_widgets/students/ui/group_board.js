// Balanced groups as a board: one column per group, one chip per student. A student is
// moved by dragging their chip onto another group, by the keyboard (each chip is a
// button: Enter or Space picks the student up, ArrowLeft / ArrowRight or a group's number
// chooses the group, Enter puts them there, Escape cancels), or by a tap on the chip and
// then a tap on the group (a phone has no dragging).
//
// The kernel holds the truth: this page only asks ({event: "moved", student, group}); the
// kernel checks the move, and the board is drawn again from what it sends back (`groups`).
// A screen reader hears what happened ("Maya R. moved to group 3") from the kernel's
// answer ({say}). Names are text, never HTML. Nothing is fetched from anywhere.

const CHIP_TYPE = "application/x-collab-student";

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function render({ model, el }) {
  const root = element("div", "collab-gb");
  root.setAttribute("role", "region");
  const help = element("p", "collab-gb-help");
  help.id = `collab-gb-help-${Math.random().toString(36).slice(2)}`;
  const columns = element("div", "collab-gb-columns");
  const announce = element("p", "collab-visually-hidden collab-gb-live");
  announce.setAttribute("aria-live", "polite");
  root.append(help, columns, announce);
  el.append(root);

  let picked = null; // {student, name, from, target}: a student picked up (keyboard or tap)
  let dragged = null; // the student being dragged from this page
  let focusStudent = null; // the chip to give the focus back to after a redraw

  function groups() {
    return model.get("groups") || [];
  }

  function say(words) {
    announce.textContent = "";
    window.setTimeout(() => {
      announce.textContent = words;
    }, 50); // a new text, so that the same words are read again
  }

  function send(student, group) {
    model.send({ event: "moved", student, group });
  }

  function label(index) {
    const group = groups()[index];
    return group ? group.title : "";
  }

  // --- picking up and putting down (keyboard and taps) --------------------------------

  function pick(student, name, from) {
    picked = { student, name, from, target: from };
    draw();
    say(
      `${name} picked up, in ${label(from)}. Choose a group with the arrow keys or its ` +
        "number, then press Enter. Escape cancels.",
    );
  }

  function choose(target) {
    if (!picked) return;
    const count = groups().length;
    if (!count) return;
    picked.target = ((target % count) + count) % count;
    draw();
    say(`${label(picked.target)}${picked.target === picked.from ? " (where they are now)" : ""}`);
  }

  function drop() {
    if (!picked) return;
    const { student, name, from, target } = picked;
    picked = null;
    focusStudent = student;
    if (target === from) {
      draw();
      say(`${name} stays in ${label(from)}.`);
      return;
    }
    draw();
    send(student, target); // the kernel answers with the board and what happened
  }

  function cancel() {
    if (!picked) return;
    const { student, name } = picked;
    picked = null;
    focusStudent = student;
    draw();
    say(`Move of ${name} cancelled.`);
  }

  function onChipKey(event, student, name, from) {
    const key = event.key;
    if (key === "Enter" || key === " " || key === "Spacebar") {
      event.preventDefault();
      if (picked && picked.student === student) drop();
      else pick(student, name, from);
      return;
    }
    if (!picked || picked.student !== student) return;
    if (key === "Escape" || key === "Esc") {
      event.preventDefault();
      cancel();
    } else if (key === "ArrowRight" || key === "ArrowDown") {
      event.preventDefault();
      choose(picked.target + 1);
    } else if (key === "ArrowLeft" || key === "ArrowUp") {
      event.preventDefault();
      choose(picked.target - 1);
    } else if (/^[1-9]$/.test(key)) {
      const index = Number(key) - 1;
      if (index < groups().length) {
        event.preventDefault();
        choose(index);
      }
    }
  }

  // --- the board --------------------------------------------------------------------

  function clearHighlights() {
    for (const lit of root.querySelectorAll(".collab-gb-drop-here")) {
      lit.classList.remove("collab-gb-drop-here");
    }
  }

  function makeChip(student, index, canMove) {
    const item = element("li", "collab-gb-item");
    const chip = element("button", "collab-gb-chip", student.name);
    chip.type = "button";
    chip.dataset.student = student.id;
    if (!canMove) {
      chip.disabled = true;
      item.append(chip);
      return item;
    }
    const isPicked = picked && picked.student === student.id;
    chip.setAttribute("aria-pressed", String(Boolean(isPicked)));
    chip.setAttribute("aria-describedby", help.id);
    chip.classList.toggle("collab-gb-picked", Boolean(isPicked));
    chip.draggable = true;
    chip.addEventListener("keydown", (event) => onChipKey(event, student.id, student.name, index));
    chip.addEventListener("click", (event) => {
      // a click from Enter or Space was handled by the key itself (detail 0 there)
      if (event.detail === 0) return;
      if (picked && picked.student === student.id) cancel();
      else if (picked) {
        picked.target = index; // a tap on a student of another group: into that group
        drop();
      } else pick(student.id, student.name, index);
    });
    chip.addEventListener("dragstart", (event) => {
      dragged = student.id;
      picked = null;
      event.dataTransfer.setData(CHIP_TYPE, student.id);
      event.dataTransfer.setData("text/plain", student.name);
      event.dataTransfer.effectAllowed = "move";
    });
    chip.addEventListener("dragend", () => {
      dragged = null;
      clearHighlights();
    });
    item.append(chip);
    return item;
  }

  function makeGroup(group, index, canMove) {
    const column = element("section", "collab-gb-group");
    const count = group.students.length;
    const title = element("h4", "collab-gb-title", `${group.title} (${count})`);
    column.setAttribute(
      "aria-label",
      `${group.title}, ${count} student${count === 1 ? "" : "s"}`,
    );
    const list = element("ul", "collab-gb-students");
    for (const student of group.students) list.append(makeChip(student, index, canMove));
    if (!count) list.append(element("li", "collab-gb-empty", "Nobody yet"));
    column.append(title, list);
    if (group.spreads && group.spreads.length) {
      const spreads = element("ul", "collab-gb-spreads");
      for (const line of group.spreads) spreads.append(element("li", "", line));
      column.append(spreads);
    }
    if (picked && picked.target === index) {
      column.classList.add("collab-gb-target");
      const hint = picked.target === picked.from
        ? `${picked.name} is here now`
        : `${picked.name} goes here: press Enter, or tap this group`;
      title.after(element("span", "collab-gb-hint", hint));
    }
    if (canMove) {
      column.addEventListener("dragover", (event) => {
        if (dragged === null || !event.dataTransfer.types.includes(CHIP_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        clearHighlights();
        column.classList.add("collab-gb-drop-here");
      });
      column.addEventListener("dragleave", (event) => {
        if (!column.contains(event.relatedTarget)) column.classList.remove("collab-gb-drop-here");
      });
      column.addEventListener("drop", (event) => {
        if (dragged === null) return;
        event.preventDefault();
        const student = dragged;
        dragged = null;
        clearHighlights();
        const from = groups().findIndex((g) => g.students.some((s) => s.id === student));
        focusStudent = student;
        if (from !== index) send(student, index);
      });
      // a tap on the group (not on a student) while a student is picked up: put them here
      column.addEventListener("click", (event) => {
        if (!picked || event.target.closest(".collab-gb-chip")) return;
        picked.target = index;
        drop();
      });
    }
    return column;
  }

  function draw() {
    const canMove = model.get("can_move");
    const focused = root.contains(document.activeElement) ? document.activeElement : null;
    const keep = focusStudent || (focused && focused.dataset ? focused.dataset.student : null);
    focusStudent = null;
    const list = groups();
    if (picked) {
      const still = list.flatMap((g) => g.students).find((s) => s.id === picked.student);
      if (still) picked.name = still.name; // names shown or hidden meanwhile
      else picked = null; // the student is no longer on the board
    }
    root.setAttribute("aria-label", model.get("title") || "Groups");
    help.textContent = canMove
      ? "To move a student: drag them to another group; or tap them, then tap the group; " +
        "or, from the keyboard, press Enter on them, choose the group with the arrow keys " +
        "or its number, and press Enter again (Escape cancels)."
      : "";
    help.hidden = !canMove;
    columns.replaceChildren(...list.map((group, index) => makeGroup(group, index, canMove)));
    if (keep) {
      const chip = columns.querySelector(`.collab-gb-chip[data-student="${CSS.escape(keep)}"]`);
      if (chip) chip.focus();
    }
  }

  function heard(content) {
    if (content && typeof content.say === "string") say(content.say);
  }

  // several traits may arrive together: one redraw for them
  let pending = false;
  function drawSoon() {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      draw();
    });
  }
  const TRAITS = ["groups", "can_move", "title"];
  for (const name of TRAITS) model.on(`change:${name}`, drawSoon);
  model.on("msg:custom", heard);
  draw();
  return () => {
    for (const name of TRAITS) model.off(`change:${name}`, drawSoon);
    model.off("msg:custom", heard);
  };
}

export default { render };

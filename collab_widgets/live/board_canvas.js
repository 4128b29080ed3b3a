// The live board as a board: notes are cards in columns (one per group), written in
// place, grouped by dragging a card onto another card or into a column, or from the
// keyboard with the card's "Move to" list; in a dot vote each card carries its dots and
// + / − buttons; once voting closes the cards stand ranked by their dots.
//
// The kernel holds the truth: every change is a message to it ({action, ...}), checked
// there, and the board redraws from what it sends back (`cards`). Cards are kept by id
// and moved only when their place changes, so a teammate's card arriving never takes the
// focus or the text from the card being written. Everything people typed is text, never
// HTML.

const UNGROUPED = "";
const TYPING_PAUSE_MS = 400;
// a text sent a moment ago may meet a board drawn before it arrived: the box keeps what
// was typed rather than show the older text for a moment
const SENT_GRACE_MS = 3000;

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function render({ model, el }) {
  const board = element("div", "collab-board-canvas");
  const heading = element("p", "collab-board-status");
  const compose = element("button", "jupyter-button mod-primary collab-board-new", "New note");
  compose.type = "button";
  const columns = element("div", "collab-board-columns");
  const announce = element("p", "collab-visually-hidden");
  announce.setAttribute("aria-live", "polite");
  board.append(heading, compose, columns, announce);
  el.append(board);

  const cards = new Map(); // id -> {root, text, box, byline, dots, select, plus, minus, ...}
  const columnsByName = new Map(); // group name -> {root, list, title}
  const typing = new Map(); // id -> timer of a text not sent yet
  const sentAt = new Map(); // id -> when this page last sent the card's text
  let dragged = null;
  let said = "";

  function send(content) {
    model.send(content);
  }

  function say(words) {
    if (words === said) return;
    said = words;
    announce.textContent = words;
  }

  // --- writing -------------------------------------------------------------------------

  function sendText(id, box) {
    clearTimeout(typing.get(id));
    typing.delete(id);
    sentAt.set(id, Date.now());
    send({ action: "edit", id, text: box.value });
  }

  function textBox(id, value) {
    const box = element("textarea", "collab-board-text");
    box.rows = 3;
    box.value = value;
    box.placeholder = "Type your note; it is saved as you type";
    box.setAttribute("aria-label", "Your note");
    box.addEventListener("input", () => {
      clearTimeout(typing.get(id));
      typing.set(id, setTimeout(() => sendText(id, box), TYPING_PAUSE_MS));
    });
    box.addEventListener("blur", () => {
      if (typing.has(id)) sendText(id, box);
    });
    return box;
  }

  compose.addEventListener("click", () => send({ action: "new" }));

  // --- grouping ------------------------------------------------------------------------

  function moveTo(id, group) {
    if (group === "+new") send({ action: "new_group", id });
    else send({ action: "group", id, group });
  }

  function clearHighlights() {
    for (const lit of board.querySelectorAll(".collab-drop-here")) {
      lit.classList.remove("collab-drop-here");
    }
  }

  function dropTarget(node, onDrop) {
    node.addEventListener("dragover", (event) => {
      if (dragged === null) return;
      event.preventDefault();
      node.classList.add("collab-drop-here");
    });
    node.addEventListener("dragleave", () => node.classList.remove("collab-drop-here"));
    node.addEventListener("drop", (event) => {
      clearHighlights();
      if (dragged === null) return;
      event.preventDefault();
      event.stopPropagation();
      const id = dragged;
      dragged = null;
      onDrop(id);
    });
  }

  function makeColumn(name) {
    const root = element("section", "collab-board-column");
    const title = element("h4", "collab-board-column-title");
    const list = element("div", "collab-board-cards");
    root.append(title, list);
    if (name !== UNGROUPED && name !== "+new") {
      const rename = element("input", "collab-board-rename");
      rename.type = "text";
      rename.setAttribute("aria-label", `Rename the group ${name}`);
      rename.value = name;
      rename.addEventListener("change", () => {
        const wanted = rename.value.trim();
        if (wanted && wanted !== name) send({ action: "rename", group: name, to: wanted });
      });
      root.rename = rename;
    }
    dropTarget(root, (id) => moveTo(id, name));
    return { root, title, list };
  }

  function columnTitle(column, name, count) {
    if (name === "+new") {
      column.title.textContent = "Drop a card here to start a group";
      return;
    }
    const label = name === UNGROUPED ? "Not grouped yet" : name;
    column.title.textContent = `${label} (${count})`;
    column.root.setAttribute("aria-label", `${label}: ${count} card${count === 1 ? "" : "s"}`);
  }

  // --- a card --------------------------------------------------------------------------

  function makeCard(card) {
    const root = element("article", "collab-board-card collab-card-new");
    setTimeout(() => root.classList.remove("collab-card-new"), 1500);
    const made = { root, id: card.id };
    made.text = element("p", "collab-board-card-text");
    root.append(made.text);
    made.byline = element("p", "collab-board-byline");
    root.append(made.byline);
    made.dots = element("p", "collab-board-dots");
    root.append(made.dots);
    made.tools = element("div", "collab-board-tools");
    root.append(made.tools);
    root.addEventListener("dragstart", (event) => {
      dragged = card.id;
      event.dataTransfer.setData("text/plain", String(card.id));
      event.dataTransfer.effectAllowed = "move";
    });
    root.addEventListener("dragend", () => {
      dragged = null;
      clearHighlights();
    });
    dropTarget(root, (id) => {
      if (id !== made.id) send({ action: "group_with", id, target: made.id });
    });
    return made;
  }

  function button(label, aria, className, onClick) {
    const made = element("button", `jupyter-button ${className}`, label);
    made.type = "button";
    if (aria) made.setAttribute("aria-label", aria);
    made.addEventListener("click", onClick);
    return made;
  }

  function toolsFor(made, card, state) {
    // rebuilt only when what the card offers changes
    const key = JSON.stringify([state.mode, card.own, state.can_group, state.groups,
      card.group, state.voting, card.removable]);
    if (made.toolsKey === key) return;
    made.toolsKey = key;
    made.tools.replaceChildren();
    const short = card.text.slice(0, 40) || "a note being written";
    if (state.mode === "board" && state.can_group) {
      const select = element("select", "collab-board-move");
      select.setAttribute("aria-label", `Move to a group: ${short}`);
      const options = [[UNGROUPED, "Not grouped"], ...state.groups.map((g) => [g, g]),
        ["+new", "A new group"]];
      for (const [value, label] of options) {
        const option = element("option", "", label);
        option.value = value;
        option.selected = value === (card.group || UNGROUPED);
        select.append(option);
      }
      select.addEventListener("change", () => moveTo(card.id, select.value));
      made.tools.append(select);
    }
    if (state.mode === "board" && card.removable) {
      const remove = button("Remove", `Take this note off the board: ${short}`,
        "collab-board-remove", () => {
          const ask = element("span", "collab-board-confirm", "Take it off the board? ");
          const yes = button("Yes, remove it", "", "mod-danger", () =>
            send({ action: "remove", id: card.id }));
          const keep = button("Keep it", "", "", () => {
            made.toolsKey = null;
            toolsFor(made, card, state);
          });
          ask.append(yes, keep);
          made.tools.replaceChildren(ask);
          keep.focus();
        });
      made.tools.append(remove);
    }
    if (state.mode === "vote" && state.voting) {
      made.plus = button("+ dot", `Put a dot on: ${short}`, "collab-dot-plus", () =>
        send({ action: "dot", id: card.id, change: 1 }));
      made.minus = button("− dot", `Take a dot back from: ${short}`, "collab-dot-minus", () =>
        send({ action: "dot", id: card.id, change: -1 }));
      made.tools.append(made.plus, made.minus);
    }
  }

  function updateCard(made, card, state) {
    const writing = state.mode === "board" && state.can_write && card.own;
    made.root.draggable = state.mode === "board" && state.can_group;
    made.root.classList.toggle("collab-board-own", card.own);
    if (writing) {
      if (!made.box) {
        made.box = textBox(card.id, card.text);
        made.text.replaceWith(made.box);
      } else if (document.activeElement !== made.box && !typing.has(card.id)
        && Date.now() - (sentAt.get(card.id) || 0) > SENT_GRACE_MS) {
        if (made.box.value !== card.text) made.box.value = card.text;  // from another device
      }
    } else {
      if (made.box) {
        made.box.replaceWith(made.text);
        made.box = null;
      }
      made.text.textContent = card.text || "(being written…)";
      made.text.classList.toggle("collab-board-blank", !card.text);
    }
    made.byline.textContent = card.byline ? `— ${card.byline}` : "";
    made.byline.hidden = !card.byline;
    if (state.mode === "vote") {
      made.dots.textContent = card.mine ? "●".repeat(card.mine) : "";
      made.dots.classList.add("collab-board-dots-mine");
      made.dots.setAttribute("aria-label", `your dots: ${card.mine}`);
      made.dots.hidden = false;
    } else if (state.mode === "ranked") {
      // ties share a rank: one more than the cards with more dots
      const rank = 1 + state.totals.filter((total) => total > card.total).length;
      made.dots.textContent = `Rank ${rank} · ${card.total} dot${card.total === 1 ? "" : "s"}`;
      made.dots.hidden = false;
    } else {
      made.dots.hidden = true;
    }
    if (state.mode !== "vote") made.dots.classList.remove("collab-board-dots-mine");
    toolsFor(made, card, state);
    if (made.plus) {
      made.plus.disabled = state.dots_left <= 0;
      made.minus.disabled = !card.mine;
    }
  }

  // --- the whole board -----------------------------------------------------------------

  function place(list, nodes) {
    // append in order, moving only what is out of place (a moved node loses focus)
    nodes.forEach((node, index) => {
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
    });
    while (list.children.length > nodes.length) list.lastChild.remove();
  }

  function draw() {
    const state = {
      mode: model.get("mode"),
      can_write: model.get("can_write"),
      can_group: model.get("can_group"),
      voting: model.get("voting"),
      dots_left: model.get("dots_left"),
      groups: model.get("groups"),
    };
    const list = model.get("cards");
    state.totals = list.map((card) => card.total);
    heading.textContent = model.get("status");
    heading.hidden = !heading.textContent;
    compose.hidden = !(state.mode === "board" && state.can_write);
    board.setAttribute("aria-label", model.get("title") || "The board");
    board.setAttribute("role", "region");

    const seen = new Set();
    for (const card of list) {
      seen.add(card.id);
      if (!cards.has(card.id)) cards.set(card.id, makeCard(card));
      updateCard(cards.get(card.id), card, state);
    }
    for (const [id, made] of cards) {
      if (!seen.has(id)) {
        made.root.remove();
        cards.delete(id);
      }
    }

    // columns: the groups in order, the ungrouped first while sorting, a drop zone for a
    // new group last; a vote or a ranking is one column
    let names;
    if (state.mode === "board") {
      names = [UNGROUPED, ...state.groups];
      if (state.can_group) names.push("+new");
    } else {
      names = ["*all"];
    }
    const wanted = [];
    for (const name of names) {
      if (!columnsByName.has(name)) {
        const column = name === "*all" ? makeColumn(UNGROUPED) : makeColumn(name);
        columnsByName.set(name, column);
      }
      const column = columnsByName.get(name);
      const members = list.filter((card) =>
        name === "*all" ? true : (card.group || UNGROUPED) === name);
      place(column.list, members.map((card) => cards.get(card.id).root));
      if (name === "*all") {
        column.title.textContent = state.mode === "ranked" ? "Ranked by dots" : "Choices";
      } else {
        columnTitle(column, name, members.length);
      }
      // the pile of ungrouped cards stays a place to drop a card back on while sorting
      column.root.hidden = name === UNGROUPED && state.mode === "board" && !members.length
        && !state.can_group;
      if (column.root.rename && state.can_group) {
        if (!column.root.contains(column.root.rename)) column.title.after(column.root.rename);
      }
      if (column.root.rename && !state.can_group) column.root.rename.remove();
      wanted.push(column.root);
    }
    for (const [name, column] of columnsByName) {
      if (!names.includes(name)) {
        column.root.remove();
        columnsByName.delete(name);
      }
    }
    place(columns, wanted);
    if (state.mode === "vote") say(model.get("status"));
  }

  // several traits arrive together: one redraw for them
  let pending = false;
  function drawSoon() {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      draw();
    });
  }
  const TRAITS = ["mode", "title", "status", "cards", "groups", "can_write", "can_group",
    "voting", "dots_left"];
  for (const name of TRAITS) model.on(`change:${name}`, drawSoon);
  model.on("msg:custom", (content) => {
    if (content && content.say) say(content.say);
  });
  draw();
  return () => {
    for (const name of TRAITS) model.off(`change:${name}`, drawSoon);
    for (const timer of typing.values()) clearTimeout(timer);
  };
}

export default { render };

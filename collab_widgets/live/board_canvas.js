// The live board as a board: notes are cards in columns (one per group), written in
// place, grouped by dragging a card (by its handle) onto another card or into a column,
// or from the keyboard with the card's "Move to" list and its Move button; in a dot vote
// each card carries its dots and + / − buttons; once voting closes the cards stand
// ranked by their dots.
//
// The kernel holds the truth: every change is a message to it ({action, ...}), checked
// there, and the board redraws from what it sends back (`cards`). Every keystroke goes to
// the kernel at once, which saves after a pause and before any redraw, so nothing typed
// waits in the page. Cards and columns are kept and moved only when their place changes,
// so a teammate's change never takes the focus or the text from the card being written.
// Everything people typed is text, never HTML.

const PILE = ""; // the column of cards in no group (its title: the `pile` trait)
// Sentinels for the drop zone and the single column of a vote: a group's name can hold
// no control character, so no group can be called these.
const NEW_GROUP = "\u0001new";
const ALL = "\u0001all";
const CARD_TYPE = "application/x-collab-card";
// a text typed here a moment ago may meet a board drawn before the kernel had it: the
// box keeps what was typed rather than show the older text for a moment
const TYPED_GRACE_MS = 3000;
// a blank card of yours arriving this soon after New note was pressed here takes the focus
const NEW_CARD_MS = 5000;

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function button(label, className, onClick) {
  const made = element("button", `jupyter-button ${className}`, label);
  made.type = "button";
  made.addEventListener("click", onClick);
  return made;
}

function shortText(text) {
  const line = text.trim().split("\n")[0];
  if (!line) return "a note being written";
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

function render({ model, el }) {
  const board = element("div", "collab-board-canvas");
  board.setAttribute("role", "region");
  board.tabIndex = -1; // the focus lands here when what had it leaves the board
  const heading = element("p", "collab-board-status");
  const compose = button("New note", "mod-primary collab-board-new", () => {
    focusNewCard = Date.now();
    send({ action: "new" });
  });
  const columns = element("div", "collab-board-columns");
  const announce = element("p", "collab-visually-hidden");
  announce.setAttribute("aria-live", "polite");
  board.append(heading, compose, columns, announce);
  el.append(board);

  const cards = new Map(); // id -> the card's parts
  const columnsByName = new Map(); // column name -> {root, title, list, rename}
  let columnOrder = []; // names in the order first shown: columns never jump around
  const typedAt = new Map(); // id -> when this page last sent the card's text
  let dragged = null; // the id of the card being dragged from this page
  let focusNewCard = 0; // when New note was pressed (a card arriving soon after is yours)
  let toFocus = null;
  let lastDotsLeft = null;
  let lastMode = null;
  let lastGroups = new Map(); // card id -> its group when last drawn
  let lastCanWrite = null;

  function send(content) {
    model.send(content);
  }

  function say(words) {
    announce.textContent = "";
    window.setTimeout(() => {
      announce.textContent = words;
    }, 50); // a new text, so that the same words are read again
  }

  function clearHighlights() {
    for (const lit of board.querySelectorAll(".collab-drop-here")) {
      lit.classList.remove("collab-drop-here");
    }
  }

  // --- dragging ------------------------------------------------------------------------

  function carriesCard(event) {
    return dragged !== null && event.dataTransfer.types.includes(CARD_TYPE);
  }

  function dropTarget(node, onDrop) {
    node.addEventListener("dragover", (event) => {
      if (!carriesCard(event)) return;
      event.preventDefault();
      event.stopPropagation();
      clearHighlights();
      node.classList.add("collab-drop-here");
    });
    node.addEventListener("drop", (event) => {
      if (!carriesCard(event)) return;
      event.preventDefault();
      event.stopPropagation();
      const id = dragged;
      dragged = null;
      clearHighlights();
      if (cards.has(id)) onDrop(id);
    });
  }

  function endDrag() {
    dragged = null;
    clearHighlights();
  }
  board.addEventListener("dragend", endDrag);
  board.addEventListener("drop", endDrag);
  board.addEventListener("dragleave", (event) => {
    if (!board.contains(event.relatedTarget)) clearHighlights();
  });

  function moveTo(id, group) {
    if (group === NEW_GROUP) send({ action: "new_group", id });
    else send({ action: "group", id, group });
  }

  // --- columns -------------------------------------------------------------------------

  function makeColumn(name) {
    const root = element("section", "collab-board-column");
    const title = element("h4", "collab-board-column-title");
    const list = element("div", "collab-board-cards");
    root.append(title, list);
    const column = { name, root, title, list, rename: null };
    if (name !== PILE && name !== NEW_GROUP && name !== ALL) {
      const rename = element("input", "collab-board-rename");
      rename.type = "text";
      rename.maxLength = model.get("max_group");
      rename.addEventListener("change", () => {
        const wanted = rename.value.trim();
        if (wanted && wanted !== column.name) {
          column.renamedAt = Date.now();
          send({ action: "rename", group: column.name, to: wanted });
        } else rename.value = column.name;
      });
      // left without renaming (a teammate may have renamed it meanwhile): the name as it is
      rename.addEventListener("blur", () => {
        if (Date.now() - (column.renamedAt || 0) > TYPED_GRACE_MS) rename.value = column.name;
      });
      column.rename = rename;
      nameColumn(column, name);
    }
    if (name !== ALL) dropTarget(root, (id) => moveTo(id, column.name));
    return column;
  }

  function nameColumn(column, name) {
    column.name = name;
    if (!column.rename) return;
    if (document.activeElement !== column.rename) column.rename.value = name;
    column.rename.setAttribute("aria-label", `Name of the group ${name}`);
  }

  function keepRenamedInPlace(groups, list) {
    // a group renamed (here or by a teammate): one group gone and one new, holding exactly
    // the cards the gone one held; its column keeps its place, its cards and the focus
    const gone = columnOrder.filter((name) => !groups.includes(name));
    const fresh = groups.filter((name) => !columnOrder.includes(name));
    if (gone.length !== 1 || fresh.length !== 1 || columnsByName.has(fresh[0])) return;
    const heldBefore = [...lastGroups].filter(([, group]) => group === gone[0]).map(([id]) => id);
    const heldNow = list.filter((card) => card.group === fresh[0]).map((card) => card.id);
    const same = heldBefore.length === heldNow.length && heldNow.every((id) => heldBefore.includes(id));
    if (!same) return;
    const column = columnsByName.get(gone[0]);
    if (!column) return;
    columnsByName.delete(gone[0]);
    columnsByName.set(fresh[0], column);
    nameColumn(column, fresh[0]);
    columnOrder = columnOrder.map((name) => (name === gone[0] ? fresh[0] : name));
  }

  function titleColumn(column, name, count, mode) {
    let label;
    if (name === NEW_GROUP) label = "Drop a card here to start a group";
    else if (name === ALL) label = mode === "ranked" ? "Ranked by dots" : "Choices";
    else label = `${name === PILE ? model.get("pile") : name} (${count})`;
    column.title.textContent = label;
    column.root.setAttribute("aria-label", label);
  }

  // --- a card --------------------------------------------------------------------------

  function makeCard(id) {
    const root = element("article", "collab-board-card collab-card-new");
    window.setTimeout(() => root.classList.remove("collab-card-new"), 1500);
    const made = { id, root, box: null, toolsMode: null };
    made.handle = element("span", "collab-board-handle", "⠿");
    made.handle.title = "Drag this card onto another card or into a column";
    made.handle.setAttribute("aria-hidden", "true"); // the keyboard has the Move list
    made.handle.addEventListener("dragstart", (event) => {
      dragged = id;
      event.dataTransfer.setData(CARD_TYPE, String(id));
      event.dataTransfer.setData("text/plain", made.text.textContent);
      event.dataTransfer.setDragImage(root, 12, 12);
      event.dataTransfer.effectAllowed = "move";
    });
    made.text = element("p", "collab-board-card-text");
    made.byline = element("p", "collab-board-byline");
    made.dots = element("p", "collab-board-dots");
    made.tools = element("div", "collab-board-tools");
    root.append(made.handle, made.text, made.byline, made.dots, made.tools);
    dropTarget(root, (moved) => {
      if (moved !== id) send({ action: "group_with", id: moved, target: id });
    });
    return made;
  }

  function textBox(id, value, limit) {
    const box = element("textarea", "collab-board-text");
    box.rows = 3;
    box.maxLength = limit;
    box.value = value;
    box.placeholder = "Type your note; it is saved as you type";
    box.addEventListener("input", () => {
      typedAt.set(id, Date.now());
      send({ action: "edit", id, text: box.value });
    });
    return box;
  }

  function fillMoveList(made, card, groups) {
    const options = [[PILE, "Not grouped"], ...groups.map((g) => [g, g]), [NEW_GROUP, "A new group"]];
    const key = JSON.stringify(options);
    const showing = made.move.value;
    if (made.moveKey !== key) {
      // options replaced in place: the list keeps its focus (its value is set below)
      made.moveKey = key;
      made.move.replaceChildren(
        ...options.map(([value, label]) => {
          const option = element("option", "", label);
          option.value = value;
          return option;
        }),
      );
    }
    const group = card.group || PILE;
    if (made.shownGroup !== group || !groups.concat([PILE, NEW_GROUP]).includes(made.chosen)) {
      made.chosen = undefined; // the card moved (or its choice is gone): nothing pending
    }
    made.shownGroup = group;
    // a choice made and not yet moved stays chosen through a teammate's redraw (a list
    // being looked through keeps what it shows)
    const focused = document.activeElement === made.move;
    made.move.value = focused && options.some(([value]) => value === showing)
      ? showing
      : (made.chosen ?? group);
  }

  function buildTools(made, card, state) {
    // built once per mode (and permission); updated in place after that
    const mode = JSON.stringify([state.mode, state.can_group, card.removable, state.voting]);
    if (made.toolsMode === mode) return;
    made.toolsMode = mode;
    made.tools.replaceChildren();
    made.move = made.moveButton = made.remove = made.plus = made.minus = null;
    if (state.mode === "board" && state.can_group) {
      made.move = element("select", "collab-board-move");
      made.move.addEventListener("change", () => {
        made.chosen = made.move.value;
      });
      made.moveButton = button("Move", "collab-board-move-button", () => {
        made.chosen = undefined;
        moveTo(made.id, made.move.value);
      });
      made.tools.append(made.move, made.moveButton);
    }
    if (state.mode === "board" && card.removable) {
      made.remove = button("Remove", "collab-board-remove", () => askRemove(made));
      made.tools.append(made.remove);
    }
    if (state.mode === "vote" && state.voting) {
      // refused while unavailable rather than disabled: a disabled button drops the focus
      const dot = (change) => (event) => {
        if (event.currentTarget.getAttribute("aria-disabled") !== "true") {
          send({ action: "dot", id: made.id, change });
        }
      };
      made.plus = button("+ dot", "collab-dot-plus", dot(1));
      made.minus = button("− dot", "collab-dot-minus", dot(-1));
      made.tools.append(made.plus, made.minus);
    }
  }

  function askRemove(made) {
    const ask = element("span", "collab-board-confirm", "Take it off the board? ");
    const yes = button("Yes, remove it", "mod-danger", () => send({ action: "remove", id: made.id }));
    const keep = button("Keep it", "", () => {
      if (ask.isConnected) ask.replaceWith(...kept);
      (made.remove && made.remove.isConnected ? made.remove : compose).focus();
    });
    const kept = [...made.tools.childNodes];
    ask.append(yes, keep);
    made.tools.replaceChildren(ask);
    keep.focus();
  }

  function labelTools(made, card) {
    // each name starts with the words on the button, then says which card it is for
    const short = shortText(card.text);
    if (made.move) {
      made.move.setAttribute("aria-label", `Group for: ${short}`);
      made.moveButton.setAttribute("aria-label", `Move to the chosen group: ${short}`);
    }
    if (made.remove) made.remove.setAttribute("aria-label", `Remove: ${short}`);
    if (made.plus) {
      made.plus.setAttribute("aria-label", `+ dot on: ${short}`);
      made.minus.setAttribute("aria-label", `− dot from: ${short}`);
    }
  }

  function updateCard(made, card, state) {
    const writing = state.mode === "board" && state.can_write && card.own;
    made.handle.draggable = state.mode === "board" && state.can_group;
    made.handle.hidden = !made.handle.draggable;
    made.root.classList.toggle("collab-board-own", writing);
    if (writing) {
      if (!made.box) {
        made.box = textBox(card.id, card.text, state.max_length);
        made.text.replaceWith(made.box);
      } else if (
        document.activeElement !== made.box &&
        Date.now() - (typedAt.get(card.id) || 0) > TYPED_GRACE_MS &&
        made.box.value !== card.text
      ) {
        made.box.value = card.text; // written on another device
      }
      if (Date.now() - focusNewCard < NEW_CARD_MS && !card.text && made.isNew) {
        focusNewCard = 0;
        toFocus = made.box; // once it is on the page
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
    made.dots.hidden = state.mode === "board";
    made.dots.classList.toggle("collab-board-dots-mine", state.mode === "vote");
    if (state.mode === "vote") {
      made.dots.replaceChildren();
      const circles = element("span", "", "●".repeat(card.mine));
      circles.setAttribute("aria-hidden", "true");
      const words = element("span", "collab-visually-hidden", `Your dots: ${card.mine}`);
      made.dots.append(circles, words);
    } else if (state.mode === "ranked") {
      // ties share a rank: one more than the cards with more dots
      const rank = 1 + state.totals.filter((total) => total > card.total).length;
      made.dots.textContent = `Rank ${rank} · ${card.total} dot${card.total === 1 ? "" : "s"}`;
    }
    buildTools(made, card, state);
    if (made.move) fillMoveList(made, card, state.groups);
    labelTools(made, card);
    if (made.plus) {
      made.plus.setAttribute("aria-disabled", String(state.dots_left <= 0));
      made.minus.setAttribute("aria-disabled", String(!card.mine));
    }
  }

  // --- the whole board -----------------------------------------------------------------

  function place(list, nodes) {
    // those leaving first, then the rest in order, moving only what is out of place:
    // a node moved loses the focus
    const staying = new Set(nodes);
    for (const child of [...list.children]) {
      if (!staying.has(child)) child.remove();
    }
    nodes.forEach((node, index) => {
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
    });
  }

  function draw() {
    const focused = board.contains(document.activeElement) ? document.activeElement : null;
    const focusedCard = focused && focused.closest(".collab-board-card");
    const list = model.get("cards");
    const state = {
      mode: model.get("mode"),
      can_write: model.get("can_write"),
      can_group: model.get("can_group"),
      voting: model.get("voting"),
      dots_left: model.get("dots_left"),
      groups: model.get("groups"),
      max_length: model.get("max_length"),
      totals: list.map((card) => card.total),
    };
    heading.textContent = model.get("status");
    heading.hidden = !heading.textContent;
    compose.hidden = !(state.mode === "board" && state.can_write);
    board.setAttribute("aria-label", model.get("title") || "The board");

    const seen = new Set();
    let own = 0;
    for (const card of list) {
      seen.add(card.id);
      let made = cards.get(card.id);
      if (!made) {
        made = makeCard(card.id);
        made.isNew = true;
        cards.set(card.id, made);
      }
      updateCard(made, card, state);
      made.isNew = false;
      if (made.box) made.box.setAttribute("aria-label", `Your note ${++own}`);
    }
    for (const [id, made] of cards) {
      if (!seen.has(id)) {
        made.root.remove();
        cards.delete(id);
      }
    }

    // columns: the pile, the groups in the order first seen, a drop zone for a new group
    // last; a vote or a ranking is one column
    let names;
    if (state.mode === "board") {
      keepRenamedInPlace(state.groups, list);
      const known = columnOrder.filter((name) => state.groups.includes(name));
      const fresh = state.groups.filter((name) => !known.includes(name));
      columnOrder = [...known, ...fresh];
      names = [PILE, ...columnOrder];
      if (state.can_group) names.push(NEW_GROUP);
    } else {
      names = [ALL];
    }
    const shown = [];
    for (const name of names) {
      if (!columnsByName.has(name)) columnsByName.set(name, makeColumn(name));
      const column = columnsByName.get(name);
      const inside = list.filter((card) => name === ALL || (card.group || PILE) === name);
      place(column.list, inside.map((card) => cards.get(card.id).root));
      titleColumn(column, name, inside.length, state.mode);
      if (column.rename) {
        if (state.can_group && !column.rename.isConnected) column.title.after(column.rename);
        if (!state.can_group) column.rename.remove();
      }
      // the pile stays a place to drop a card back on while sorting
      column.root.hidden = name === PILE && !inside.length && !state.can_group;
      shown.push(column.root);
    }
    for (const [name, column] of columnsByName) {
      if (!names.includes(name)) {
        column.root.remove();
        columnsByName.delete(name);
      }
    }
    place(columns, shown);
    if (toFocus) {
      toFocus.focus();
      toFocus = null;
    } else if (focused && document.activeElement !== focused) {
      refocus(focused, focusedCard);
    }
    announceChanges(state);
    lastGroups = new Map(list.map((card) => [card.id, card.group]));
    if (state.mode === "vote" && state.voting && state.dots_left !== lastDotsLeft) {
      lastDotsLeft = state.dots_left;
      say(`You have ${state.dots_left} dot${state.dots_left === 1 ? "" : "s"} left.`);
    }
  }

  function refocus(focused, focusedCard) {
    // a card moved to another column (or redrawn) loses the focus: give it back, or to
    // what is nearest when it has gone (a removed card, a box closed with the board)
    if (focused.isConnected) {
      focused.focus();
      return;
    }
    const inCard = focusedCard && focusedCard.isConnected
      ? focusedCard.querySelector("textarea, select, button")
      : null;
    (inCard || (compose.hidden ? board : compose)).focus();
  }

  function announceChanges(state) {
    if (lastMode !== null && state.mode !== lastMode && state.mode === "ranked") {
      say(`Voting has closed. ${model.get("status")}`);
    } else if (lastCanWrite && !state.can_write && state.mode === "board") {
      say("The board has closed: its notes stay as they are.");
    }
    lastMode = state.mode;
    lastCanWrite = state.can_write;
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
    "voting", "dots_left", "max_length", "max_group", "pile"];
  for (const name of TRAITS) model.on(`change:${name}`, drawSoon);
  function heard(content) {
    if (!content) return;
    if (typeof content.say === "string") say(content.say);
    const waiting = cards.get(content.focus);
    if (waiting && waiting.box) {
      focusNewCard = 0; // no new card comes: your empty one is the one to write in
      waiting.box.focus();
    }
  }
  model.on("msg:custom", heard);
  draw();
  return () => {
    for (const name of TRAITS) model.off(`change:${name}`, drawSoon);
    model.off("msg:custom", heard);
  };
}

export default { render };

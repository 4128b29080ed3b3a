// A link shown as text with a Copy button. The clipboard needs https or the server's own
// machine; elsewhere the link is selected so that Ctrl+C copies it.
function render({ model, el }) {
  const link = document.createElement("code");
  link.className = "collab-link-text";
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "jupyter-button collab-copy";
  copy.textContent = "Copy";
  const said = document.createElement("span");
  said.className = "collab-copied";
  said.setAttribute("role", "status");

  function show() {
    link.textContent = model.get("value");  // text, never HTML
    copy.setAttribute("aria-label", model.get("description"));
    said.textContent = "";
  }

  function selectLink() {
    const range = document.createRange();
    range.selectNodeContents(link);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(model.get("value"));
      said.textContent = "Copied";
    } catch (refused) {
      selectLink();
      said.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy";
    }
  });
  model.on("change:value", show);
  model.on("change:description", show);
  show();
  el.classList.add("collab-copy-link");
  el.append(link, copy, said);
  return () => {
    model.off("change:value", show);
    model.off("change:description", show);
  };
}

export default { render };

// A button that sends, with its click, what its form's text boxes hold in this browser at
// that moment (see FormButton in browser_parts.py for why).
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";

  function show() {
    button.textContent = model.get("description");  // text, never HTML
    button.title = model.get("tooltip");
    button.disabled = model.get("disabled");
    const style = model.get("button_style");
    button.className = "jupyter-button widget-button" + (style ? " mod-" + style : "");
  }

  async function typed() {
    const values = {};
    for (const ref of model.get("reads")) {
      const id = String(ref).replace(/^IPY_MODEL_/, "");
      const box = await model.widget_manager.get_model(id);
      values[id] = box.get("value");
    }
    return values;
  }

  button.addEventListener("click", async () => {
    model.send({ event: "click", values: await typed() });
  });
  for (const name of ["description", "tooltip", "disabled", "button_style"]) {
    model.on("change:" + name, show);
  }
  show();
  el.classList.add("collab-form-button");
  el.appendChild(button);
}

export default { render };

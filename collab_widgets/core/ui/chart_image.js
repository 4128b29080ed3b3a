// A chart picture with its text alternative: the PNG's bytes become a blob address in
// the page (nothing fetched), and the alt text is the chart's description.
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "collab-chart";
  let address = "";

  function show() {
    if (address) {
      URL.revokeObjectURL(address);
      address = "";
    }
    const png = model.get("value");
    if (png && png.byteLength) {
      address = URL.createObjectURL(new Blob([png], { type: "image/png" }));
      img.src = address;
    } else {
      img.removeAttribute("src");
    }
    img.alt = model.get("alt");  // an attribute: text, never HTML
  }

  model.on("change:value", show);
  model.on("change:alt", show);
  show();
  el.append(img);
  return () => {
    model.off("change:value", show);
    model.off("change:alt", show);
    if (address) {
      URL.revokeObjectURL(address);
    }
  };
}

export default { render };

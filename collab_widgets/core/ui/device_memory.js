// Keeps a member's personal token in this browser, one per team, so that the team link
// opens as that member again on this device. The kernel decides what a token opens: this
// only carries it between the browser's storage and the page.
const PREFIX = "collab-workbook:member:";

function browserStorage() {
  try {
    return window.localStorage;
  } catch (blocked) {  // storage turned off in the browser's privacy settings
    return null;
  }
}

function render({ model }) {
  const storage = browserStorage();
  if (!storage) {
    return undefined;
  }
  const key = () => PREFIX + model.get("team");

  function report() {
    if (!model.get("team")) {
      return;
    }
    const remembered = storage.getItem(key()) || "";
    if (remembered && remembered !== model.get("token")) {
      model.set("token", remembered);
      model.save_changes();
    }
  }

  function keep() {
    if (!model.get("team")) {
      return;
    }
    const token = model.get("token");
    if (token) {
      storage.setItem(key(), token);
    } else {
      storage.removeItem(key());
    }
  }

  model.on("change:team", report);
  model.on("change:token", keep);
  report();
  return () => {
    model.off("change:team", report);
    model.off("change:token", keep);
  };
}

export default { render };

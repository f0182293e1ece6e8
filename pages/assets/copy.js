// Copy buttons: a button with data-copy="<id>" copies the text of that element. The
// clipboard API exists only on https and localhost; on plain http inside a LAN the older
// selection-based copy still works.
const COPIED_MS = 1500;
const labels = new WeakMap();
const resets = new WeakMap();

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

function showCopied(button, copied) {
  if (!labels.has(button)) labels.set(button, button.textContent);
  button.textContent = copied ? "Copied" : "Select and copy";
  clearTimeout(resets.get(button));
  resets.set(button, setTimeout(() => (button.textContent = labels.get(button)), COPIED_MS));
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  copyText(source.textContent).then((copied) => showCopied(button, copied));
});

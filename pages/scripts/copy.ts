// Copy buttons: a button with data-copy="<id>" copies the text of that element. The
// clipboard API exists only on https and localhost; on plain http inside a LAN the older
// selection-based copy still works.
const COPIED_MS = 1500;
const labels = new WeakMap<HTMLButtonElement, string>();
const resets = new WeakMap<HTMLButtonElement, ReturnType<typeof setTimeout>>();

async function copyText(text: string): Promise<boolean> {
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

function showCopied(button: HTMLButtonElement, copied: boolean): void {
  if (!labels.has(button)) labels.set(button, button.textContent ?? "");
  button.textContent = copied ? "Copied" : "Select and copy";
  clearTimeout(resets.get(button));
  resets.set(button, setTimeout(() => (button.textContent = labels.get(button) ?? ""), COPIED_MS));
}

export function enableCopyButtons(): void {
  document.addEventListener("click", (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>("button[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy ?? "");
    if (source) copyText(source.textContent ?? "").then((copied) => showCopied(button, copied));
  });
}

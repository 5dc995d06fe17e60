// Keyboard shortcuts, declared once: the keys, what they do and the words the shortcut list shows.
// They act everywhere except while a person types in a field (a text box, a number box, a select),
// or on an element that keeps its own keys (data-keys="own": the plot's probe): there Space and the
// arrows belong to the field. "?" opens the list, a <dialog> that the keyboard
// reaches and closes (Escape, or its Close button), and that a screen reader announces.

export const SHORTCUTS = [
  { keys: [" "], label: "Space", does: "Play or pause the runs", action: "toggle" },
  { keys: ["ArrowRight"], label: "→", does: "One step", action: "step" },
  { keys: ["r", "R"], label: "R", does: "Back to step 0", action: "restart" },
  { keys: ["n"], label: "N", does: "Next scene of the deck", action: "next" },
  { keys: ["N"], shift: true, label: "Shift+N", does: "Previous scene of the deck", action: "previous" },
  { keys: ["p", "P"], label: "P", does: "Present: the picture fills the screen", action: "present" },
  { keys: ["Escape"], label: "Escape", does: "Leave presentation mode", action: "leave" },
  { keys: ["?"], label: "?", does: "This list of shortcuts", action: "help" },
];

/** Whether a key press belongs to a field the person is typing in. */
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !["button", "checkbox", "radio", "submit", "reset", "range"].includes(target.type);
}

/** The shortcut a key event means, or null. Shift+N and N are two shortcuts; "?" needs Shift on most layouts. */
export function shortcutFor(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  return SHORTCUTS.find((s) => s.keys.includes(event.key) && (s.shift === undefined || s.shift === event.shiftKey))
    ?? null;
}

/** Fill the shortcut list in `dialog` (a <dialog> holding a <dl>). */
export function fillShortcutList(dialog) {
  const list = dialog.querySelector("dl");
  list.replaceChildren(...SHORTCUTS.flatMap((s) => {
    const dt = document.createElement("dt");
    const kbd = document.createElement("kbd");
    kbd.textContent = s.label;
    dt.append(kbd);
    const dd = document.createElement("dd");
    dd.textContent = s.does;
    return [dt, dd];
  }));
}

/**
 * bindShortcuts(actions, dialog): actions maps each action name to a function. Escape is left to the
 * dialog while it is open (the browser closes it), and a range slider keeps its own arrow keys.
 */
export function bindShortcuts(actions, dialog) {
  fillShortcutList(dialog);
  actions.help = () => {
    if (!dialog.open) dialog.showModal();
  };
  dialog.querySelector("button[data-close]").addEventListener("click", () => dialog.close());
  document.addEventListener("keydown", (event) => {
    if (dialog.open || typing(event.target)) return;
    if (event.target instanceof HTMLElement && event.target.dataset.keys === "own" && event.key !== "Escape") return;
    if (event.target instanceof HTMLInputElement && event.target.type === "range" && event.key.startsWith("Arrow")) return;
    const shortcut = shortcutFor(event);
    if (!shortcut || !actions[shortcut.action]) return;
    if (event.key === " " && event.target instanceof HTMLButtonElement) return; // Space presses a focused button
    event.preventDefault();
    actions[shortcut.action]();
  });
}

// On a phone the controls sit below a long figure: "Controls under the plot" lifts them into a
// sheet over the lower half of the screen and scrolls the plot to the top, so both are in view and
// a change is seen as it is made. Close (or Escape) puts them back in the page, focus where it was.

export function bindSheet(aside, openButton, closeButton, plotEl) {
  const set = (open) => {
    aside.classList.toggle("sheet", open);
    document.body.classList.toggle("sheet-open", open);
    openButton.setAttribute("aria-expanded", String(open));
    if (open) {
      plotEl.scrollIntoView({ block: "start" });
      (aside.querySelector("[role=tab][aria-selected=true]") ?? aside).focus();
    } else {
      openButton.focus();
    }
  };
  openButton.addEventListener("click", () => set(!aside.classList.contains("sheet")));
  closeButton.addEventListener("click", () => set(false));
  aside.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !aside.classList.contains("sheet")) return;
    e.stopPropagation(); // Escape here closes the sheet, not presentation mode
    set(false);
  });
}

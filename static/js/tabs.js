// On a phone the controls come in tabs, one per fieldset of the Controls column, so the one that
// changes the picture (the loss, the gradient size, the optimiser) sits one tap below the plot
// instead of a long scroll. The tabs are built from the fieldsets' own legends (the names are said
// once, in the template) and follow the WAI-ARIA tabs pattern: arrows, Home and End move between
// them. On a wider screen the tab list is hidden by app.css and every fieldset shows.

export function bindTabs(tablist, narrow) {
  const panels = [...tablist.parentElement.querySelectorAll(":scope > fieldset")];
  const tabs = panels.map((panel, k) => {
    panel.id ||= `controls-panel-${k}`;
    const tab = document.createElement("button");
    tab.type = "button";
    tab.id = `${panel.id}-tab`;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    tab.textContent = panel.querySelector(":scope > legend").textContent;
    tab.addEventListener("click", () => select(k));
    return tab;
  });
  tablist.replaceChildren(...tabs);
  const media = narrow; // the page's own phone query (main.js), so tabs and the compact look agree
  let current = 0;

  function select(k, focus = false) {
    current = k;
    tabs.forEach((tab, j) => {
      const on = j === k;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      if (media.matches) {
        panels[j].setAttribute("role", "tabpanel");
        panels[j].setAttribute("aria-labelledby", tab.id);
      } else {
        panels[j].removeAttribute("role");
        panels[j].removeAttribute("aria-labelledby");
      }
      panels[j].classList.toggle("tab-hidden", media.matches && !on);
    });
    if (focus) tabs[k].focus();
  }

  tablist.addEventListener("keydown", (e) => {
    const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    e.stopPropagation(); // the page's arrow shortcuts are not for here
    select((moves[e.key] + tabs.length) % tabs.length, true);
  });
  media.addEventListener("change", () => select(current));
  select(0);
  return { select };
}

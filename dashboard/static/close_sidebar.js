// On narrow screens the sidebar lies over the page: close it once a page was chosen in it, so the chosen
// page is what one sees. Installed once per browser tab (chrome.py sends it with every page).
if (!window.repairtrackClosesSidebar) {
  window.repairtrackClosesSidebar = true;
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element && event.target.closest("[data-testid='stSidebar'] a");
      if (!link || !window.matchMedia("(max-width: 767.98px)").matches) return;
      window.setTimeout(() => {
        document.querySelector("[data-testid='stSidebarCollapseButton'] button")?.click();
      }, 0);
    },
    true,
  );
}

// The page image's 放大/缩小 buttons: shown only where scripts run; the frame scrolls when zoomed.
document.querySelectorAll("[data-zoom-for]").forEach((tools) => {
  const frame = document.getElementById(tools.dataset.zoomFor);
  if (!frame) return;
  let level = 1;
  const show = () => {
    frame.classList.remove("zoom-2", "zoom-3");
    if (level > 1) frame.classList.add(`zoom-${level}`);
    tools.querySelector("[data-zoom='in']").disabled = level === 3;
    tools.querySelector("[data-zoom='out']").disabled = level === 1;
  };
  tools.querySelectorAll("button[data-zoom]").forEach((button) => {
    button.addEventListener("click", () => {
      level = Math.min(3, Math.max(1, level + (button.dataset.zoom === "in" ? 1 : -1)));
      show();
    });
  });
  tools.hidden = false;
  show();
});

// The "复制引用" button: shown only where scripts run; copies the citation text.
document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      status.textContent = "已复制";
    } catch {
      status.textContent = "复制失败，请手动选择文字复制";
    }
  });
});

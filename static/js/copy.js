// The "复制引用" button: shown only where scripts run; copies the citation text.
function selectText(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  if (!source) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = source.textContent.trim();
    try {
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(text);
      } else {
        selectText(source);
        if (!document.execCommand("copy")) throw new Error("copy refused");
      }
      status.textContent = "已复制";
    } catch {
      selectText(source);
      status.textContent = "已选中引用文字，请按 Ctrl+C 复制";
    }
  });
});

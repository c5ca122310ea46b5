// Admin forms whose work takes seconds (parsing an upload, storing an issue): say that work is
// under way, and ignore a second click, which would post the same upload twice.
document.querySelectorAll("form[data-busy]").forEach((form) => {
  const status = form.querySelector(".busy-status");
  let sent = false;
  form.addEventListener("submit", (event) => {
    if (sent) {
      event.preventDefault();
      return;
    }
    sent = true;
    // Not `disabled`: a disabled submit button would drop its name (confirm/cancel) from the post.
    form.querySelectorAll("[type=submit]").forEach((button) => button.setAttribute("aria-disabled", "true"));
    const cancelling = event.submitter && event.submitter.name === "cancel";
    status.textContent = cancelling ? "正在取消…" : form.dataset.busy;
  });
});

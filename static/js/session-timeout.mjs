/*
 * The warning before a signed-in session ends for want of activity (WCAG 2.2.1 Timing
 * Adjustable): a modal dialog opens `data-warn-seconds` before the end, counted from this
 * page's last request to us (page load, or any htmx request since). "Stay signed in" asks the
 * server to start the idle clock again; Escape does the same. When the time is up the dialog
 * says so and offers to sign in again; nothing typed on the page is touched.
 */

const dialog = document.getElementById("session-timeout");

if (dialog instanceof HTMLDialogElement) {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warnBefore = Number(dialog.dataset.warnSeconds) * 1000;
  const timeLeft = dialog.querySelector("[data-time-left]");
  const warning = dialog.querySelector('[data-state="warning"]');
  const ended = dialog.querySelector('[data-state="ended"]');
  let lastContact = Date.now();
  let returnFocusTo = null;
  let tick = null;

  const csrfToken = () => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch {
      return "";
    }
  };

  const words = (milliseconds) => {
    const minutes = Math.ceil(milliseconds / 60000);
    if (milliseconds > 60000) return `${minutes} minutes`;
    const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  };

  const showEnded = () => {
    warning.hidden = true;
    ended.hidden = false;
    if (!dialog.open) dialog.showModal();
    const signIn = ended.querySelector("[data-sign-in]");
    if (signIn instanceof HTMLAnchorElement) {
      // Back to this page afterwards; added here so the page never repeats its own address.
      const next = encodeURIComponent(location.pathname + location.search);
      signIn.href = `${signIn.pathname}?next=${next}`;
      signIn.focus();
    }
  };

  const update = () => {
    const left = lastContact + idle - Date.now();
    if (left <= 0) {
      showEnded();
      return;
    }
    if (left <= warnBefore && !dialog.open) {
      returnFocusTo = document.activeElement;
      timeLeft.textContent = words(left);
      dialog.showModal();
      dialog.querySelector("[data-keep]")?.focus();
    } else if (dialog.open) {
      // Once a minute in the last minutes, each second in the last one: enough to be true
      // without a screen reader hearing a countdown (the text is not a live region).
      if (left < 60000 || Math.round(left / 1000) % 60 === 0) timeLeft.textContent = words(left);
    }
  };

  const stay = async () => {
    const response = await fetch(dialog.dataset.keepUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      redirect: "manual",
    }).catch(() => null);
    if (!response || response.status !== 204) {
      showEnded();
      return;
    }
    lastContact = Date.now();
    dialog.close();
    if (returnFocusTo instanceof HTMLElement) returnFocusTo.focus();
  };

  dialog.querySelector("[data-keep]")?.addEventListener("click", () => {
    stay().catch(console.error);
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!warning.hidden) stay().catch(console.error);
  });
  // Any request this page makes to us keeps the session alive on the server, so the clock
  // starts again too.
  document.body.addEventListener("htmx:afterRequest", () => {
    lastContact = Date.now();
  });

  tick = setInterval(update, 1000);
  window.addEventListener("pagehide", () => clearInterval(tick));
}

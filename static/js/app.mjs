/*
 * Page bootstrap: starts NHS.UK frontend's components, including on content
 * that htmx swaps in later.
 *
 * Contract with the page template (the CSP is script-src 'self', so there is
 * no inline script anywhere):
 *
 *   <meta name="nhsuk-frontend-module"
 *         content="{% static 'vendor/nhsuk-frontend-10.6.1/nhsuk-frontend.min.js' %}">
 *   <script type="module" src="{% static 'js/app.mjs' %}"></script>
 *
 * The module URL comes from that meta tag (rendered with Django's hashed static
 * URL) and is loaded with a dynamic import(), so this file never hard-codes a
 * path that the manifest static storage would have to rewrite. A relative
 * content value is resolved against the page's URL.
 *
 * This file also adds the `nhsuk-frontend-supported` (and `js-enabled`) class
 * to <body>, which NHS.UK frontend's own template does with an inline script:
 * initAll() refuses to run without it, and its CSS uses it. Module scripts only
 * run in browsers that NHS.UK frontend supports, so adding it here is
 * equivalent.
 */

const META_NAME = "nhsuk-frontend-module";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");

/** @type {Promise<any> | null} */
const frontend = (() => {
  const meta = document.querySelector(`meta[name="${META_NAME}"]`);
  const src = meta && meta.getAttribute("content");
  if (!src) {
    console.error(`app.mjs: <meta name="${META_NAME}" content="..."> is missing`);
    return null;
  }
  return import(new URL(src, document.baseURI).href);
})();

/**
 * Start every NHS.UK frontend component inside `scope`. A component that is
 * already running raises InitError; that is expected when htmx and page load
 * overlap, so it is ignored. Anything else is reported.
 *
 * @param {Element | Document} scope
 */
async function start(scope) {
  if (!frontend) return;
  const { initAll, InitError } = await frontend;
  initAll({
    scope,
    onError(error) {
      if (!(error instanceof InitError)) console.error(error);
    },
  });
}

// htmx fires htmx:load on each element it adds (and on <body> at start-up).
// initAll() only looks at descendants of its scope, so scan from the parent
// to include a swapped-in element that is itself a component root.
document.body.addEventListener("htmx:load", (event) => {
  const target = /** @type {Element} */ (event.target);
  start(target.parentElement || target).catch(console.error);
});

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => start(document).catch(console.error), {
    once: true,
  });
} else {
  start(document).catch(console.error);
}

/*
 * In a long form with several buttons, Enter in a text box would press the form's first
 * button. A box marked data-enter-clicks="#button-id" presses that button instead (for
 * example "Search" in the attendee search), which keeps Enter doing what the person meant.
 */
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.isComposing) return;
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.enterClicks) return;
  const button = document.querySelector(box.dataset.enterClicks);
  if (button instanceof HTMLButtonElement) {
    event.preventDefault();
    button.click();
  }
});

/*
 * After an htmx swap the server can say where keyboard focus belongs with the response header
 * HX-Trigger: {"convening:focus": {"target": "#element-id"}} — for example back to the search
 * box after adding an attendee, so the next person can be found at once.
 */
document.body.addEventListener("convening:focus", (event) => {
  const target = event.detail && document.querySelector(event.detail.target);
  if (target instanceof HTMLElement) target.focus();
});

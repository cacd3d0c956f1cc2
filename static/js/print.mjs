/*
 * The board report's "Print or save as PDF" button: shown only when this module runs (the
 * page tells readers to use the browser's print command otherwise), and it opens the print
 * dialogue. No inline script: the CSP is script-src 'self'.
 */
for (const button of document.querySelectorAll("[data-print-report]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

/* "Copy link" on a release page: the site's own few lines, no third-party script. The button
   starts hidden (it cannot work without script) and is shown here; the status line beside it
   tells every reader, a screen reader's too, whether the address was copied. */
(function () {
  "use strict";
  function fallback(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    field.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy"));
  }
  document.querySelectorAll(".print-page").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".copy-link").forEach(function (button) {
    var status = button.closest(".share").querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-url");
      var copy = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(url) : fallback(url);
      copy.catch(function () { return fallback(url); }).then(function () {
        status.textContent = button.getAttribute("data-done");
      }, function () {
        status.textContent = button.getAttribute("data-failed") + " " + url;
      });
    });
  });
})();

// Alur: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // A decision that rejects needs a reason: stop the submit and point at the comment field.
    document.querySelectorAll("form.complete-form").forEach(function (form) {
      var comment = form.querySelector("textarea[name=comment]");
      var error = form.querySelector("#comment-error");
      form.querySelectorAll("button[data-needs-comment]").forEach(function (button) {
        button.addEventListener("click", function (event) {
          if (comment && comment.value.trim() === "") {
            event.preventDefault();
            if (error) { error.hidden = false; }
            comment.focus();
          }
        });
      });
    });
    // Ask before destructive actions.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // One submit per form: a double click must not send the step twice.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }
        if (form.dataset.sent === "1") { event.preventDefault(); return; }
        form.dataset.sent = "1";
        window.setTimeout(function () {
          form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        }, 0);
      });
    });
  });
})();

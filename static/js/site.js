/* Site behaviour. No inline JavaScript anywhere, so a strict Content-Security-Policy works.
 *
 * - <form data-confirm="确定吗？"> asks before submitting.
 * - A refused form: the error summary (templates/_forms/error_summary.html) gets the focus and
 *   the page title its prefix (「错误：」); a link of the summary focuses its field. Without a
 *   summary, the first field with an error gets the focus.
 * - htmx requests that fail show a message instead of doing nothing.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("main .error-summary");
    if (summary) {
      var prefix = summary.getAttribute("data-title-prefix") || "";
      if (prefix && document.title.indexOf(prefix) !== 0) {
        document.title = prefix + document.title;
      }
      summary.focus();
      return;
    }
    var invalid = document.querySelector("main .is-invalid");
    if (invalid && typeof invalid.focus === "function") {
      invalid.focus();
    }
  });

  // A table that scrolls sideways (on a phone) can be scrolled from the keyboard.
  function focusableScrollers() {
    document.querySelectorAll("main .table-responsive, main table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX === "auto";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      } else if (!scrolls && box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    field.scrollIntoView({block: "center"});
    field.focus();
  });

  document.addEventListener("htmx:responseError", function (event) {
    var box = document.querySelector(".site-messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "site-messages";
      var main = document.getElementById("main");
      if (!main) { return; }
      main.insertBefore(box, main.firstChild);
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : "";
    alert.textContent = (document.documentElement.lang === "en"
      ? "The request failed (" + status + "). Please reload the page and try again."
      : "操作未成功（" + status + "），请刷新页面后重试。");
    box.appendChild(alert);
  });
}());

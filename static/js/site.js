/* Site behaviour. No inline JavaScript anywhere, so a strict Content-Security-Policy works.
 *
 * - <form data-confirm="确定吗？"> asks before submitting.
 * - The first field with an error gets the focus.
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
    var invalid = document.querySelector("main .is-invalid");
    if (invalid && typeof invalid.focus === "function") {
      invalid.focus();
    }
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

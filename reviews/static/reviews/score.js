/* The score form (reviews/member_score.html): the running total as the expert types and the
 * criteria still empty. No inline script: loaded as a file under the strict CSP. The page
 * renders both values on the server first, so it reads the same without JavaScript. */
(function () {
  "use strict";

  function update(form) {
    var total = 0;
    var empty = [];
    form.querySelectorAll("input[data-criterion]").forEach(function (input) {
      var text = input.value.trim();
      var value = Number(text);
      var max = Number(input.max);
      if (text === "" || !isFinite(value)) {
        empty.push(input.dataset.criterion);
      } else if (value >= 0 && (!isFinite(max) || value <= max)) {
        total += value;
      }
    });
    var totalBox = form.querySelector("[data-score-total]");
    if (totalBox) {
      totalBox.textContent = String(Math.round(total * 10) / 10);
    }
    var emptyBox = form.querySelector("[data-score-empty]");
    if (emptyBox) {
      emptyBox.textContent = empty.length
        ? emptyBox.dataset.labelEmpty + empty.join(emptyBox.dataset.separator || "、")
        : emptyBox.dataset.labelDone;
    }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.score-form");
    if (form) {
      update(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.score-form").forEach(update);
  });
})();

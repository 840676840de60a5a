/* Hegui's own behaviour. The Content-Security-Policy forbids inline scripts, event-handler
   attributes and style attributes, so the markup carries data- attributes and this file,
   served from our own origin, acts on them. */
(function () {
  "use strict";

  /* <select data-submit-on-change>: submit its form as soon as a choice is made
     (the language switch; a <noscript> button covers browsers without JavaScript). */
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });

  /* <div class="progress-bar" data-progress="42">: set the bar's width through the CSS object
     model, which the policy allows (a style="" attribute in the markup would be blocked). */
  function sizeProgressBars(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-progress]") : [];
    Array.prototype.forEach.call(bars, function (bar) {
      var percent = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
      bar.style.width = percent + "%";
    });
  }

  /* <form data-max-bytes data-too-large>: a file over the limit is refused here, before it is
     sent (the server refuses it too, with a 413 that htmx would not show). The message stays
     under the form; nothing else on the card changes. */
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-max-bytes")) return;
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    var notice = form.parentElement.querySelector(".evidence-too-large");
    if (file && file.size > limit) {
      event.preventDefault();
      if (notice) { notice.textContent = form.getAttribute("data-too-large"); notice.hidden = false; }
    } else if (notice) {
      notice.hidden = true;
    }
  });

  /* A save that had nothing on the card to clear is answered with out-of-band pieces only (the
     revision, the "saved" line, the evidence badge, the section counter) and the answer-saved
     event on the form: the card, which htmx left in place, now shows a saved answer. */
  document.addEventListener("answer-saved", function (event) {
    var card = event.target instanceof Element ? event.target.closest(".question") : null;
    if (card) card.setAttribute("data-state", "saved");
  });

  if (window.htmx) {
    window.htmx.onLoad(sizeProgressBars); /* the page, then every fragment htmx swaps in */
  } else {
    document.addEventListener("DOMContentLoaded", function () { sizeProgressBars(document); });
  }
})();

/* Not applicable asks for the reason first: ticking the box with an empty reason sends nothing
   (the server would refuse it and say "not saved" before the person could type); a hint under
   the reason says it is saved once filled in, and the reason's own change event then saves. */
(function () {
  "use strict";

  function naParts(form) {
    var box = form.querySelector("input[type=checkbox][name$='-na']");
    var reason = form.querySelector("textarea[name$='-na_reason']");
    return box && reason ? { box: box, reason: reason } : null;
  }

  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("answer-form")) return;
    var parts = naParts(form);
    if (!parts) return;
    var hint = form.querySelector(".na-reason-hint");
    if (parts.box.checked && !parts.reason.value.trim()) {
      event.preventDefault();
      if (hint) { hint.textContent = hint.getAttribute("data-hint"); hint.hidden = false; }
      parts.reason.focus();
    } else if (hint) {
      hint.hidden = true;
    }
  });
})();

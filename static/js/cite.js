// "Cite this report": with JavaScript, a button copies each citation. Without it the
// citations are plain text to select and copy, and the buttons stay hidden.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    button.parentElement.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { say("Citation copied."); },
          function () { selectText(target); say("Citation selected: press Ctrl+C to copy it."); }
        );
      } else {
        selectText(target);
        say("Citation selected: press Ctrl+C to copy it.");
      }
    });
  });
})();

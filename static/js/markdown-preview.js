// The report admin's "Preview" button: shows the text as readers will see it, before
// saving. The server renders and sanitises it (publishing/markdown.py); without
// JavaScript the preview of the saved text still shows below the field.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-markdown-preview]").forEach(function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "Preview";
    var output = document.createElement("div");
    output.className = "empac-markdown-preview";
    output.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", output);
    field.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var token = field.form.querySelector("input[name=csrfmiddlewaretoken]");
      var data = new FormData();
      data.append("text", field.value);
      fetch(field.dataset.markdownPreview, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token ? token.value : "" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          output.innerHTML = html || "<p>(Nothing to preview.)</p>";
        })
        .catch(function () {
          output.textContent = "The preview could not be made; the text is not lost.";
        });
    });
  });
})();

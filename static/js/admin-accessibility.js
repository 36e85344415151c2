/* Names and roles the admin's own widgets leave out (tests/browser/test_review_admin.py).
 *
 * - Autocomplete boxes (select2) get the name of the field's label, as the select they
 *   replace had; their search box too.
 * - select2 lists its chosen items in a <ul> mixed with <span>s: that list is presentation.
 * - An empty header cell of a tabular inline (the hidden "original" column, the delete
 *   column when nothing may be deleted) is a plain cell: it heads nothing.
 * Run at load and again whenever select2 or a new inline row changes the page (only
 * attributes change here, and those are not observed, so it never wakes itself up).
 */
(function () {
  "use strict";

  function labelFor(select) {
    if (!select.id) return null;
    const label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) return null;
    if (!label.id) label.id = select.id + "-label";
    return label;
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = labelFor(select);
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) return;
      const boxes = '[role="combobox"], [role="textbox"], .select2-selection';
      container.querySelectorAll(boxes).forEach(function (box) {
        box.setAttribute("aria-labelledby", label.id);
      });
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      });
      container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        list.setAttribute("role", "none");
        Array.from(list.children).forEach(function (item) {
          if (item.tagName === "LI") item.setAttribute("role", "none");
        });
      });
    });
  }

  function plainEmptyHeaders(root) {
    root.querySelectorAll(".tabular table thead th").forEach(function (cell) {
      if (cell.textContent.trim()) return;
      const plain = document.createElement("td");
      plain.className = cell.className;
      cell.replaceWith(plain);
    });
  }

  function fix() {
    nameAutocompletes(document);
    plainEmptyHeaders(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    fix();
    const content = document.getElementById("content") || document.body;
    new MutationObserver(fix).observe(content, { childList: true, subtree: true });
  });
})();

// The ticket form's title preview: as the member types, ask the server (which applies the
// same rules as the post) what the ticket would be filed as, and let the language field
// follow the title and the description until the member chooses a language themselves.
(function () {
  "use strict";

  function init(root) {
    const box = root.querySelector("[data-title-preview]");
    if (!box) return;
    const form = box.closest("form");
    const select = form.elements.language;
    const fallback = form.elements.language_default;
    const text = box.querySelector("[data-title-preview-text]");
    const problem = box.querySelector("[data-title-preview-problem]");
    let timer = null;
    let asked = 0;

    async function refresh() {
      const query = new URLSearchParams();
      for (const name of ["language", "language_default", "summary", "description"]) {
        query.set(name, form.elements[name].value);
      }
      const mine = ++asked;
      let answer;
      try {
        const response = await fetch(box.dataset.titlePreview + "?" + query, {
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return; // keep the last preview: the post decides anyway
        answer = await response.json();
      } catch (error) {
        return;
      }
      if (mine !== asked) return; // an older answer arriving late
      text.textContent = answer.title;
      problem.textContent = answer.problem;
      if (select.value === fallback.value && select.value !== answer.language) {
        // Not the member's choice yet: it follows what they wrote.
        select.value = answer.language;
        fallback.value = answer.language;
      }
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    }
    form.elements.summary.addEventListener("input", later);
    form.elements.description.addEventListener("input", later);
    // Once the form is sent its answer replaces the page: a preview due later is moot.
    form.addEventListener("submit", () => clearTimeout(timer));
    select.addEventListener("change", () => {
      // The member's own choice, even of the language it already showed: it stops
      // following, and the server takes it as chosen.
      fallback.value = "";
      refresh();
    });
  }

  init(document);
  // upload.js replaces <main> with the server's answer to a post: preview that one too.
  document.addEventListener("tickets:main-replaced", (event) => init(event.detail));
})();

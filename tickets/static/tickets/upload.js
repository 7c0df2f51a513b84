// Screenshots: check and preview the chosen files, and send the form with a progress bar.
// Without JavaScript the form still posts normally; the server decides what is accepted,
// and the checks here only spare the member a long upload that would be refused.
(function () {
  "use strict";

  const TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

  function formatSize(bytes) {
    return bytes < 1024 * 1024
      ? Math.ceil(bytes / 1024) + " KB"
      : (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function problemsWith(input) {
    const rules = input.dataset;
    const problems = [];
    if (input.files.length > Number(rules.maxFiles)) problems.push(rules.tooMany);
    for (const file of input.files) {
      if (!TYPES.includes(file.type)) {
        problems.push(rules.wrongType.replace("{name}", file.name));
      } else if (file.size > Number(rules.maxBytes)) {
        problems.push(rules.tooLarge.replace("{name}", file.name));
      }
    }
    return problems;
  }

  function showProblems(input) {
    // The browser's verdict on the files now chosen replaces any earlier one, the
    // server's included (it was about files that are no longer chosen).
    const list = document.getElementById(input.id + "_problems");
    const problems = problemsWith(input);
    const wrapper = input.closest(".mb-3") || input.parentElement;
    for (const old of wrapper.querySelectorAll(".invalid-feedback")) old.remove();
    input.classList.toggle("is-invalid", problems.length > 0);
    input.setAttribute("aria-invalid", String(problems.length > 0));
    list.replaceChildren(
      ...problems.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
    );
    list.hidden = problems.length === 0;
    const described = (input.getAttribute("aria-describedby") || "").split(" ");
    if (!described.includes(list.id)) {
      input.setAttribute("aria-describedby", [...described, list.id].join(" ").trim());
    }
    hideFailure(input.form);
    return problems;
  }

  function showPreviews(input) {
    const list = document.querySelector('[data-preview-for="' + input.id + '"]');
    if (!list) return;
    list.replaceChildren();
    for (const file of input.files) {
      const item = document.createElement("li");
      item.className = "border rounded p-1 small text-center text-break";
      if (file.type.startsWith("image/")) {
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = "";
        img.addEventListener("load", () => URL.revokeObjectURL(img.src));
        item.append(img, document.createElement("br"));
      }
      item.append(file.name + " (" + formatSize(file.size) + ")");
      list.append(item);
    }
    list.hidden = input.files.length === 0;
  }

  /* The browser's file control speaks the browser's language ("Choose Files" on a Polish
     page): the real input stays, transparent, on top of a face in the page's language,
     so clicks, drops, the keyboard and its label are the input's own. */
  function dress(input) {
    const picker = Object.assign(document.createElement("div"), { className: "file-picker" });
    const face = Object.assign(document.createElement("div"), {
      className: "file-face form-control",
    });
    face.setAttribute("aria-hidden", "true");
    const button = Object.assign(document.createElement("span"), {
      className: "file-face-button",
      textContent: input.dataset.choose,
    });
    const chosen = Object.assign(document.createElement("span"), { className: "file-face-chosen" });
    face.append(button, chosen);
    input.before(picker);
    picker.append(input, face);
    input.classList.add("file-picker-input");
    // The server's verdict was the input's next sibling; it still shows below the picker.
    for (let next = picker.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.classList.contains("invalid-feedback")) next.classList.add("d-block");
    }
    const show = () => {
      const names = [...input.files].map((file) => file.name).join(", ");
      chosen.textContent = names || input.dataset.noneChosen;
    };
    show();
    input.addEventListener("change", show);
  }

  function replaceMain(response, url) {
    // The answer is a whole page (the ticket after a redirect, or the form with its
    // errors): show its main content in place of ours, as a navigation would.
    const next = response.querySelector("main");
    document.querySelector("main").replaceWith(next);
    document.title = response.title;
    history.replaceState(null, "", url);
    init(next);
    document.dispatchEvent(new CustomEvent("tickets:main-replaced", { detail: next }));
    const alert = next.querySelector(".alert");
    if (alert) alert.tabIndex = -1;
    (alert || next).focus();
  }

  function hideFailure(form) {
    const box = form.querySelector("[data-upload-error]");
    if (box) box.hidden = true;
  }

  function showFailure(form, text, link) {
    const box = form.querySelector("[data-upload-error]");
    box.replaceChildren(text);
    if (link) {
      const a = Object.assign(document.createElement("a"), {
        href: link,
        className: "alert-link ms-1",
        textContent: box.dataset.open,
      });
      a.addEventListener("click", (event) => {
        // A reply is on this very page: load it again, not just scroll to the anchor.
        if (a.pathname !== location.pathname) return;
        event.preventDefault();
        history.replaceState(null, "", a.href);
        location.reload();
      });
      box.append(a);
    }
    box.hidden = false;
    box.focus();
  }

  async function explainFailure(form, status, page) {
    // Say whether anything was stored: a refusal (4xx) stored nothing; after a dropped
    // connection or a 5xx, ask the portal about this form's submission token.
    const box = form.querySelector("[data-upload-error]");
    if (status === 413) return showFailure(form, box.dataset.tooLarge);
    if (status >= 400 && status < 500) {
      const reason = page && page.querySelector("main p.lead, main .alert");
      const text = box.dataset.nothingStored;
      return showFailure(form, reason ? reason.textContent.trim() + " " + text : text);
    }
    try {
      const response = await fetch(box.dataset.check, { headers: { Accept: "application/json" } });
      if (response.status === 404) return showFailure(form, box.dataset.nothingStored);
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      showFailure(form, box.dataset.stored, answer.url);
    } catch (error) {
      showFailure(form, box.dataset.unknown);
    }
  }

  function send(form, event) {
    const input = form.querySelector('input[type="file"]');
    event.preventDefault();
    if (input && showProblems(input).length) {
      input.focus();
      return;
    }
    const progress = form.querySelector("[data-upload-progress]");
    const bar = progress.querySelector("progress");
    const status = form.querySelector("[data-upload-status]");
    const button = form.querySelector('button[type="submit"]');
    progress.hidden = !input || input.files.length === 0;
    button.disabled = true;
    hideFailure(form);
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.responseType = "document";
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      bar.value = Math.round((100 * e.loaded) / e.total);
      status.textContent = progress.querySelector("label").textContent + " " + bar.value + "%";
    });
    function failed() {
      button.disabled = false;
      progress.hidden = true;
      status.textContent = "";
      explainFailure(form, request.status, request.response);
    }
    // Never post again on our own: the first post may have been stored (a second ticket).
    // The request followed any redirect, so its status is that of the page it ended on.
    // A form sent back (400, 429) comes with its errors; any other page is a failure.
    request.addEventListener("load", () => {
      const signedOut = request.response && !request.response.body.hasAttribute("data-signed-in");
      if (request.status < 300 && signedOut) {
        // Signed out meanwhile: the answer is the sign-in page (the form kept for after
        // it). It replaces the whole page, whose header still names who was signed in.
        location.assign(request.responseURL);
        return;
      }
      const page = request.response && request.response.querySelector("main");
      const withForm = page && page.querySelector("form[data-upload-form]");
      if (page && (request.status < 300 || (withForm && [400, 429].includes(request.status)))) {
        replaceMain(request.response, request.responseURL);
      } else {
        failed();
      }
    });
    request.addEventListener("error", failed);
    request.addEventListener("abort", failed);
    request.send(new FormData(form));
  }

  function init(root) {
    for (const form of root.querySelectorAll("form[data-upload-form]")) {
      form.addEventListener("submit", (event) => send(form, event));
      for (const input of form.querySelectorAll('input[type="file"]')) {
        dress(input);
        input.addEventListener("change", () => {
          showProblems(input);
          showPreviews(input);
        });
      }
    }
  }

  init(document);
})();

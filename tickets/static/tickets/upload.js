// Screenshots: preview the chosen files, and send the form with a progress bar.
// Without JavaScript the form still posts normally; the server decides what is accepted.
(function () {
  "use strict";

  function formatSize(bytes) {
    return bytes < 1024 * 1024
      ? Math.ceil(bytes / 1024) + " KB"
      : (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function showPreviews(input) {
    const list = document.querySelector('[data-preview-for="' + input.id + '"]');
    if (!list) return;
    list.replaceChildren();
    for (const file of input.files) {
      const item = document.createElement("li");
      item.className = "border rounded p-1 small text-center";
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

  function send(form, event) {
    const input = form.querySelector('input[type="file"]');
    if (!input || input.files.length === 0) return; // nothing to upload: post as usual
    event.preventDefault();
    const progress = form.querySelector("[data-upload-progress]");
    const bar = progress.querySelector("progress");
    const status = form.querySelector("[data-upload-status]");
    const button = form.querySelector('button[type="submit"]');
    progress.hidden = false;
    button.disabled = true;
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
      status.textContent = form.dataset.uploadFailed || "";
    }
    // Never post again on our own: the first post may have been stored (a second ticket).
    // The request followed any redirect, so its status is that of the page it ended on.
    request.addEventListener("load", () => {
      const page = request.response && request.response.querySelector("main");
      const shown = request.status < 300 || request.status === 400 || request.status === 429;
      if (page && shown) {
        replaceMain(request.response, request.responseURL);
      } else if (request.responseURL && request.responseURL !== form.action) {
        location.assign(request.responseURL);
      } else {
        failed();
      }
    });
    request.addEventListener("error", failed);
    request.send(new FormData(form));
  }

  function init(root) {
    for (const form of root.querySelectorAll("form[data-upload-form]")) {
      form.addEventListener("submit", (event) => send(form, event));
      for (const input of form.querySelectorAll('input[type="file"]')) {
        input.addEventListener("change", () => showPreviews(input));
      }
    }
  }

  init(document);
})();

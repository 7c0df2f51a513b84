// Screenshots open in a viewer on the page instead of a bare image tab. A modal <dialog>
// keeps the keyboard inside and closes on Esc; the arrows step through the ticket's
// screenshots; closing gives focus back to the thumbnail. Without JavaScript the
// thumbnails are plain links to the images. The dialog is looked up on each click: the
// ticket page may have been swapped in by upload.js after a post.
(function () {
  "use strict";

  let links = [];
  let current = 0;
  let opener = null;

  function show(dialog, index) {
    current = (index + links.length) % links.length;
    const link = links[current];
    const image = dialog.querySelector(".screenshot-viewer-image");
    image.src = link.href;
    image.alt = link.querySelector("img").alt;
    dialog.querySelector("[data-viewer-full]").href = link.href;
    const position = dialog.dataset.position
      .replace("{n}", current + 1)
      .replace("{count}", links.length);
    dialog.querySelector(".screenshot-viewer-caption").textContent =
      link.dataset.caption + " · " + position;
    for (const step of dialog.querySelectorAll("[data-viewer-step]")) {
      step.hidden = links.length < 2;
    }
  }

  function keepFocusIn(dialog, event) {
    // A modal dialog makes the page inert, but Tab past its last control would still
    // leave for the browser's own toolbar: go round instead.
    const controls = [...dialog.querySelectorAll("button, a[href]")].filter((c) => !c.hidden);
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function wire(dialog) {
    if (dialog.dataset.wired) return;
    dialog.dataset.wired = "yes";
    for (const step of dialog.querySelectorAll("[data-viewer-step]")) {
      step.addEventListener("click", () => show(dialog, current + Number(step.dataset.viewerStep)));
    }
    dialog.querySelector("[data-viewer-close]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight") show(dialog, current + 1);
      else if (event.key === "ArrowLeft") show(dialog, current - 1);
      else if (event.key === "Tab") keepFocusIn(dialog, event);
    });
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", () => {
      dialog.querySelector(".screenshot-viewer-image").src = "data:,";
      if (opener) opener.focus();
    });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-viewer-image]");
    const dialog = document.getElementById("screenshot-viewer");
    if (!link || !dialog || typeof dialog.showModal !== "function") return;
    if (event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab, as asked
    event.preventDefault();
    wire(dialog);
    links = [...document.querySelectorAll("a[data-viewer-image]")];
    opener = link;
    show(dialog, links.indexOf(link));
    dialog.showModal();
    dialog.querySelector("[data-viewer-close]").focus();
  });
})();

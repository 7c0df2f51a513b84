/* The member's chat page: the place in the queue, then the conversation. */
(function () {
  "use strict";

  const { ChatConnection, isOver, messageElement, showStatus, wireComposer, format } =
    window.LiveChat;
  const config = JSON.parse(document.getElementById("chat-config").textContent);
  const strings = config.strings;
  const log = document.getElementById("log");
  const queue = document.getElementById("queue");
  const typing = document.getElementById("typing");
  const composer = document.getElementById("composer");
  const textarea = document.getElementById("body");
  const error = document.getElementById("composer-error");
  const endButton = document.getElementById("end");
  const confirmBox = document.getElementById("end-confirm");
  let typingTimer = null;

  function queueText(state) {
    if (state.state === "active") return format(strings.active, { agent: state.agent });
    const parts = [format(strings.position, { position: state.position })];
    if (state.wait_seconds === null) parts.push(strings.no_agents);
    else if (state.wait_seconds < 60) parts.push(strings.next);
    else parts.push(format(strings.estimate, { minutes: Math.ceil(state.wait_seconds / 60) }));
    return parts.join(" ");
  }

  /* Replies that arrive while the tab is in the background: counted in the tab's title and
   * shown on its icon until the member looks again. */
  const unread = {
    count: 0,
    title: document.title,
    icon: document.getElementById("favicon"),
    add() {
      this.count += 1;
      document.title = "(" + this.count + ") " + this.title;
      this.icon.href = config.icons.unread;
    },
    clear() {
      this.count = 0;
      document.title = this.title;
      this.icon.href = config.icons.read;
    },
  };
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) unread.clear();
  });

  /* A system line with somewhere to go (the ticket a chat became) is a link there. */
  function linked(element, frame) {
    if (!frame.link) return element;
    const body = element.querySelector(".chat-body");
    const anchor = document.createElement("a");
    anchor.href = frame.link;
    anchor.textContent = body.textContent;
    body.replaceChildren(anchor);
    return element;
  }

  function finish(state) {
    composer.hidden = true;
    queue.hidden = true;
    document.getElementById("ended-text").textContent = strings[state.state];
    document.getElementById("ended").hidden = false;
    document.getElementById("new-chat").focus();
  }

  const connection = new ChatConnection(config.socket, strings, {
    onMessage(frame) {
      log.append(linked(messageElement(frame, strings, frame.author === "member"), frame));
      log.scrollTop = log.scrollHeight;
      if (frame.author === "agent") typing.textContent = "";
      if (document.hidden && frame.author !== "member") unread.add();
    },
    onState(state) {
      if (isOver(state)) return finish(state);
      const text = queueText(state);
      if (queue.textContent !== text) queue.textContent = text;
      queue.className = "alert mt-3 " + (state.state === "active" ? "alert-success" : "alert-info");
    },
    onTyping() {
      typing.textContent = strings.typing;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typing.textContent = ""), 3000);
    },
    onError(frame) {
      error.textContent = strings.errors[frame.code] || frame.message;
    },
    onStatus(status, text) {
      showStatus(document.getElementById("connection"), status, text);
    },
  });

  wireComposer(composer, textarea, connection, (body) => {
    error.textContent = "";
    connection.say(body);
  });

  /* Ending is final, so it is asked twice: the question takes the focus, and going back
   * (the button or Escape) returns it to "End chat". */
  function askToEnd(open) {
    confirmBox.hidden = !open;
    endButton.setAttribute("aria-expanded", String(open));
    (open ? document.getElementById("end-yes") : endButton).focus();
  }
  endButton.addEventListener("click", () => askToEnd(true));
  document.getElementById("end-no").addEventListener("click", () => askToEnd(false));
  confirmBox.addEventListener("keydown", (event) => {
    if (event.key === "Escape") askToEnd(false);
  });
  document.getElementById("end-yes").addEventListener("click", () => {
    confirmBox.hidden = true;
    connection.end();
  });

  textarea.focus(); // the member came here to write
})();

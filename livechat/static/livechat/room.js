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
  let typingTimer = null;

  function queueText(state) {
    if (state.state === "active") return format(strings.active, { agent: state.agent });
    const parts = [format(strings.position, { position: state.position })];
    if (state.wait_seconds === null) parts.push(strings.no_agents);
    else if (state.wait_seconds < 60) parts.push(strings.next);
    else parts.push(format(strings.estimate, { minutes: Math.ceil(state.wait_seconds / 60) }));
    return parts.join(" ");
  }

  function finish(state) {
    composer.hidden = true;
    queue.hidden = true;
    document.getElementById("ended-text").textContent = strings[state.state];
    document.getElementById("ended").hidden = false;
  }

  const connection = new ChatConnection(config.socket, strings, {
    onMessage(frame) {
      log.append(messageElement(frame, strings, frame.author === "member"));
      log.scrollTop = log.scrollHeight;
      if (frame.author === "agent") typing.textContent = "";
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
  document.getElementById("end").addEventListener("click", () => connection.end());
})();

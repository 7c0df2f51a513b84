/* The chat's sockets in the browser (docs/protocol.md), shared by the member's page and the
 * agents' console. ReconnectingSocket is the one place that knows the close codes: it
 * reconnects with back-off unless the server closed for good. ChatConnection is one chat on
 * it: hello with the highest seq seen, each message handed on exactly once, and what was
 * typed while offline resent with the same client_id, which the server stores once. */
(function () {
  "use strict";

  const TYPING_EVERY = 2000;
  const OVER = ["ended", "abandoned"];
  // Close codes after which reconnecting cannot help, with the status each one shows.
  const FINAL = { 4403: "forbidden", 4009: "too_large" };

  /* Whether a `state` frame says the chat is over (no more messages either way). */
  function isOver(state) {
    return OVER.includes(state.state);
  }

  function clientId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function format(text, fields) {
    return text.replace(/\{(\w+)\}/g, (all, key) => (key in fields ? fields[key] : all));
  }

  class ReconnectingSocket {
    /* handlers: onOpen(), onFrame(frame), onStatus(status, text) */
    constructor(path, strings, handlers) {
      this.path = path;
      this.strings = strings;
      this.handlers = handlers;
      this.delay = 1000;
      this.over = false;
      this.open();
    }

    open() {
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      this.socket = new WebSocket(scheme + "//" + location.host + this.path);
      this.status("connecting");
      this.socket.addEventListener("open", () => {
        this.delay = 1000;
        this.status("connected");
        this.handlers.onOpen();
      });
      this.socket.addEventListener("message", (event) =>
        this.handlers.onFrame(JSON.parse(event.data)),
      );
      this.socket.addEventListener("close", (event) => this.closed(event));
    }

    closed(event) {
      if (this.over) return this.status("closed");
      if (event.code in FINAL) {
        this.over = true;
        return this.status(FINAL[event.code]);
      }
      const seconds = Math.round(this.delay / 1000);
      this.handlers.onStatus(
        "reconnecting",
        format(this.strings.reconnecting, { seconds: seconds }),
      );
      setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, 30000);
    }

    /* Close for good: nothing more will come (the chat is over). */
    finish() {
      this.over = true;
      this.socket.close();
    }

    status(status) {
      this.handlers.onStatus(status, this.strings[status]);
    }

    send(frame) {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    }
  }

  class ChatConnection {
    /* handlers: onMessage(frame), onState(frame), onTyping(frame), onError(frame),
     * onStatus(status, text) */
    constructor(path, strings, handlers) {
      this.handlers = handlers;
      this.seen = 0;
      this.unsent = new Map();
      this.lastTyping = 0;
      this.socket = new ReconnectingSocket(path, strings, {
        onOpen: () => {
          this.resend = true;
          this.send({ type: "hello", after: this.seen });
        },
        onFrame: (frame) => this.receive(frame),
        onStatus: handlers.onStatus,
      });
    }

    get over() {
      return this.socket.over;
    }

    receive(frame) {
      if (frame.type === "message") {
        // A resend is confirmed with the stored frame, which may have been shown already.
        this.unsent.delete(frame.client_id);
        if (frame.seq <= this.seen) return;
        this.seen = frame.seq;
        this.handlers.onMessage(frame);
      } else if (frame.type === "state") {
        if (this.resend) {
          // The backlog came first: what is still unsent was lost on the way; resend it.
          this.resend = false;
          this.unsent.forEach((body, id) => this.send({ type: "say", body: body, client_id: id }));
        }
        if (isOver(frame)) this.socket.finish();
        this.handlers.onState(frame);
      } else if (frame.type === "typing") {
        this.handlers.onTyping(frame);
      } else if (frame.type === "error") {
        this.handlers.onError(frame);
      }
    }

    send(frame) {
      this.socket.send(frame);
    }

    say(body) {
      const id = clientId();
      this.unsent.set(id, body);
      this.send({ type: "say", body: body, client_id: id });
    }

    typing() {
      const now = Date.now();
      if (now - this.lastTyping < TYPING_EVERY) return;
      this.lastTyping = now;
      this.send({ type: "typing" });
    }

    end() {
      this.send({ type: "end" });
    }
  }

  /* The line of one message, built with textContent only (bodies are never HTML). */
  function messageElement(frame, strings, mine) {
    const item = document.createElement("div");
    item.className = "chat-message chat-" + frame.author + (mine ? " chat-mine" : "");
    item.dataset.seq = frame.seq;
    const who = document.createElement("span");
    who.className = "chat-who fw-semibold";
    who.textContent = mine ? strings.you || frame.name : frame.name || strings[frame.author];
    const time = document.createElement("time");
    time.className = "chat-time small text-body-secondary ms-2";
    time.dateTime = frame.sent_at;
    time.textContent = new Date(frame.sent_at).toLocaleTimeString([], {
      hour: "2-digit",
      minute: "2-digit",
    });
    const body = document.createElement("p");
    body.className = "chat-body mb-1";
    body.append(...linkedText(frame.body));
    item.append(who, time, body);
    return item;
  }

  // A web address, up to a space or a character no address ends with in prose.
  const ADDRESS = /\bhttps?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]']/gi;

  /* A body's text with its web addresses as links that open beside the chat (leaving the
     chat's tab would drop the member from the conversation). Text nodes only: a body is
     never HTML, and only http(s) addresses become links. */
  function linkedText(text) {
    const nodes = [];
    let last = 0;
    for (const match of text.matchAll(ADDRESS)) {
      nodes.push(document.createTextNode(text.slice(last, match.index)));
      const anchor = document.createElement("a");
      anchor.href = match[0];
      anchor.target = "_blank";
      anchor.rel = "noopener noreferrer";
      anchor.textContent = match[0];
      nodes.push(anchor);
      last = match.index + match[0].length;
    }
    nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  function showStatus(element, status, text) {
    const styles = { connected: "text-bg-success", reconnecting: "text-bg-warning" };
    // text-wrap: a long status (a final close) wraps instead of widening a phone's page.
    element.className = "badge text-wrap " + (styles[status] || "text-bg-secondary");
    element.textContent = text;
  }

  /* Send on Enter (Shift+Enter for a new line) and tell the other side we are typing. */
  function wireComposer(form, textarea, connection, onSend) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = textarea.value.trim();
      if (!body) return;
      onSend(body);
      textarea.value = "";
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    textarea.addEventListener("input", () => connection.typing());
  }

  window.LiveChat = {
    ReconnectingSocket,
    ChatConnection,
    isOver,
    messageElement,
    showStatus,
    wireComposer,
    format,
  };
})();

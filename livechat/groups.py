"""The channel-layer group names of the chat, and the session key that lists a browser's
chats: every name the sockets, signals and views must agree on."""

CONSOLE_GROUP = "livechat.console"  # every open console: the queue, live
WAITING_GROUP = "livechat.waiting"  # every waiting member's socket: queue moves, presence

# The session's chats by id, kept in the session's data: its key changes at sign-in.
OWN_CHATS = "livechat_chats"


def chat_group(chat_id) -> str:
    """The group of everyone connected to one chat (its member's and agent's sockets)."""
    return f"livechat.chat.{chat_id.hex}"


def session_group(session_key: str) -> str:
    """The group of every socket of one browser session (closed when it signs out)."""
    return f"livechat.session.{session_key}"


def user_group(user_id: int) -> str:
    """The group of every socket of one signed-in user (told when the account changes, to
    check again whether it may stay open)."""
    return f"livechat.user.{user_id}"


def consoles_group(agent_id: int) -> str:
    """The group of one agent's open consoles, on whichever process: when one closes, the
    others say they are still there."""
    return f"livechat.consoles.{agent_id}"

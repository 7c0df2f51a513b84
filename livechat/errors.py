"""The protocol's error codes (docs/protocol.md), each with the words a person reads."""

from django.utils.translation import gettext_lazy as _


class ChatError(Exception):
    """A request the chat refuses; `code` is the protocol's error code."""

    code = "forbidden"
    message = _("You may not do that in this chat.")

    def __init__(self, message=None):
        super().__init__(message)
        if message is not None:
            self.message = message


class BadFrame(ChatError):
    code = "bad_frame"
    message = _("Something went wrong. Please try again.")


class TooLong(ChatError):
    code = "too_long"
    message = _("Your message is too long. Please shorten it.")


class SlowDown(ChatError):
    code = "slow_down"
    message = _("You are sending messages too fast. Wait a moment.")


class ChatOver(ChatError):
    code = "ended"
    message = _("This chat has ended.")


class Taken(ChatError):
    code = "taken"
    message = _("Another agent has taken this chat, or it is no longer waiting.")


class AtCapacity(ChatError):
    code = "capacity"
    message = _("You already hold as many chats as you can. End one first.")


class NotStored(ChatError):
    code = "not_stored"
    message = _("Your message could not be stored. Please send it again.")


class Away(ChatError):
    code = "away"
    message = _("You are away. Set yourself available to accept chats.")


class Unavailable(ChatError):
    code = "unavailable"
    message = _("That agent is not available to take the chat.")


class NotOffered(ChatError):
    code = "not_offered"
    message = _("This chat is no longer offered to you.")


ALL = [
    ChatError,
    BadFrame,
    TooLong,
    SlowDown,
    ChatOver,
    Taken,
    AtCapacity,
    NotStored,
    Away,
    Unavailable,
    NotOffered,
]

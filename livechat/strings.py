"""The words the chat pages' scripts show, translated on the server and passed in as JSON
(no JavaScript catalogue). `{name}`-style fields are filled in by the scripts."""

from django.utils.translation import gettext as _

from livechat import errors


def shared() -> dict:
    return {
        "connecting": _("Connecting…"),
        "connected": _("Connected"),
        "reconnecting": _("Connection lost. Reconnecting in {seconds} s…"),
        "forbidden": _("This chat is not open to you any more (did you sign out?)."),
        "too_large": _("The connection was closed: that was too much to send at once."),
        "closed": _("Disconnected"),
        "member": _("Member"),
        "agent": _("Agent"),
        "system": _("Tech Support"),
        "errors": {error.code: str(error.message) for error in errors.ALL},
    }


def member() -> dict:
    return {
        **shared(),
        "you": _("You"),
        "position": _("Your place in the queue: {position}."),
        "estimate": _("Estimated wait: about {minutes} min."),
        "next": _("An agent should be with you in a moment."),
        "no_agents": _("No agent is online right now. You keep your place in the queue."),
        "active": _("You are chatting with {agent}."),
        "typing": _("The agent is typing…"),
        "ended": _("This chat has ended. Thank you for contacting Tech Support."),
        "abandoned": _("Your place in the queue was given up because you were away too long."),
    }


def console() -> dict:
    return {
        **shared(),
        "accept": _("Accept"),
        "waiting_for": _("waiting {time}"),
        "queue_empty": _("Nobody is waiting."),
        "queue_count": _("Waiting: {count}"),
        "holding": _("Your chats: {count} of {capacity}"),
        "new_chat": _("A member is waiting for a chat"),
        "typing": _("The member is typing…"),
        "ended": _("This chat has ended."),
        "abandoned": _("The member left the queue."),
        "reply_to": _("Reply to {name}"),
        "alerts_on": _("Alerts are on"),
        "alerts_off": _("Alerts are off"),
        "available_now": _("You are available."),
        "away_now": _("You are away: no new chats, and members do not count you as online."),
        "reason_away": _("You are away: set yourself available to accept chats."),
        "reason_capacity": _("You hold {count} of {capacity} chats: end one to accept another."),
        "visitor": _("Visitor (not signed in)"),
        "member_id": _("Member ID {id}"),
        "open_tickets": _("Open tickets ({count}):"),
        "past_chats": _("Past chats ({count}):"),
        "none": _("none"),
        "rated": _("rated {rating}/5"),
        "not_rated": _("not rated"),
        "transfer_nobody": _("No other agent is available."),
        "offered_to": _("Offered to {name}…"),
        "declined_by": _("{name} declined the transfer."),
        "transferred_to": _("{name} took over the chat."),
        "offer": _("{from} offers you the chat with {name}"),
        "take": _("Take"),
        "decline": _("Decline"),
        "converting": _("Creating the ticket…"),
        "convert_failed": _("The ticket could not be created. Try again."),
        "alerts_blocked": _("The browser blocks notifications; the sound alone will play."),
    }

def session_key(request) -> str:
    """The browser session's key, made and saved now for a visitor who has none yet (so a
    redirect that follows finds the same session), with the cookie sent in this response."""
    if request.session.session_key is None:
        request.session.save()
    request.session.modified = True
    return request.session.session_key

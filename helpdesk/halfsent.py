"""A response that fails half-sent is cut off after what was written, not left open.

When the application raises after `http.response.start` (a streaming body whose iterator
fails half-way: the member's data archive), daphne 4.2 answers with its 500 page. Starting
that page raises "HTTP response has already been started" inside daphne's once-a-second
application checker, and so:

- the connection is never finished: the browser waits for the rest of the download for as
  long as it stays open;
- the checker stops for the life of the process: no application whose connection closes
  later is cancelled or reaped again.

Cutting the connection off after what was already written tells the client that the body
is incomplete (a chunked body without its last chunk), so a download fails where it would
hang. daphne has already logged the exception by then.
"""

from daphne.http_protocol import WebRequest

_answer_with_error_page = WebRequest.handle_exception


def handle_exception(request: WebRequest, exception: BaseException) -> None:
    if request._response_started:
        request.loseConnection()
    else:
        _answer_with_error_page(request, exception)


def install() -> None:
    WebRequest.handle_exception = handle_exception

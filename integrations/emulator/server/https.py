"""The HTTPS server: HTTP/1.1 with keep-alive, one thread per connection.

The TLS handshake happens in the connection's own thread, so a slow client never blocks the
accept loop. Request lines longer than Salesforce's 16,384-byte URI limit get HTTP 414.
"""

import logging
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .messages import Request, Response

logger = logging.getLogger(__name__)

MAX_URI_BYTES = 16_384


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, dispatcher, ssl_context: ssl.SSLContext):
        super().__init__(address, RequestHandler)
        self.dispatcher = dispatcher
        self.ssl_context = ssl_context

    def finish_request(self, request, client_address):
        try:
            connection = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            logger.debug("TLS handshake with %s failed", client_address)
            return
        try:
            self.RequestHandlerClass(connection, client_address, self)
        finally:
            connection.close()

    def handle_error(self, request, client_address):
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SFDC"
    sys_version = ""
    # One buffered write per response (flushed by http.server after each request) and no
    # Nagle delay: keep-alive round trips stay well under a millisecond.
    wbufsize = -1
    disable_nagle_algorithm = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if len(self.path.encode()) > MAX_URI_BYTES:
            self.send_error(414)
            return False
        return True

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._serve()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def _serve(self) -> None:
        url = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self._read_body(),
        )
        response = self.server.dispatcher.handle(request)
        if response.disconnect:
            self.close_connection = True
            return
        self._write(response)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline()

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        logger.debug("%s %s", self.address_string(), format % args)

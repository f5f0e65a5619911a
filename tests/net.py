"""Network helpers for tests that talk to local servers."""

import socket


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on, until a test starts a server there
    (or leaves it closed, for a server that is away)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

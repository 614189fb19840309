"""What a route handler receives: the state, the caller, and the validated path/query/body parameters."""

from . import errors


class RequestContext:
    """Per-request view handed to handlers (``store`` is locked while the handler runs)."""

    def __init__(self, store, caller, op, params, query, body, now_real, headers=None):  # pylint: disable=too-many-arguments
        self.store = store
        self.caller = caller
        self.op = op
        self.params = params
        self.query = query
        self.body = body
        self.now_real = now_real
        self.headers = headers if headers is not None else {}  # the request headers (case-insensitive lookups)

    @property
    def config(self):
        """Global settings."""
        return self.store.config

    @property
    def account(self):
        """The signed caller's account (handlers of auth-required operations always have one)."""
        if self.caller.account is None:
            raise errors.invalid_credential()
        return self.caller.account

    @property
    def nichandle(self):
        """Caller nichandle or None when unsigned."""
        return self.caller.nichandle

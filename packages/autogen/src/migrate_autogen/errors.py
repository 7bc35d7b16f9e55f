"""What autogenerate raises and warns about."""


class AutogenError(Exception):
    """Autogenerate was asked something it cannot do; the message says what to change."""


class AutogenWarning(UserWarning):
    """A difference autogenerate cannot express as an operation (e.g. a new computed expression)."""

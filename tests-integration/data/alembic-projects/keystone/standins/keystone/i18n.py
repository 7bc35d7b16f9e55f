"""Stand-in for Keystone's translation marker."""


def _(message):
    return message

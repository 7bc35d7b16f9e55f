"""Stand-in for `EntityType`, with upstream's values."""


class EntityType:
    USER = "user"
    GROUP = "group"

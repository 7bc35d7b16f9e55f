"""Stand-in for `keystone.conf.CONF`: the one option a migration reads, with upstream's default."""

from types import SimpleNamespace

CONF = SimpleNamespace(saml=SimpleNamespace(relay_state_prefix="ss:mem:"))

"""Stand-in for `ckan.plugins.plugin_loaded`: no plugin is loaded (a bare CKAN)."""


def plugin_loaded(name):
    return False

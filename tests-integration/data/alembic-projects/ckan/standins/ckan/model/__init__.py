"""Stand-in for `ckan.model.init_model`: binds CKAN's ORM to the engine; nothing to bind here."""


def init_model(engine):
    return None

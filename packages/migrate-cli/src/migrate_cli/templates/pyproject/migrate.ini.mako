# Deployment settings of the `migrate` command: the database URL and logging.
# Source settings (script_location, ...) are in pyproject.toml under [tool.migrate].

[migrate]
sqlalchemy.url = ${sqlalchemy_url}


[loggers]
keys = root,sqlalchemy,migrate

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_migrate]
level = INFO
handlers =
qualname = migrate_cli

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S

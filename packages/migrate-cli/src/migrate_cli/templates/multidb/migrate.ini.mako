# Configuration of the `migrate` command (see `migrate --help`).
# Values may use %(here)s, the directory of this file; write %% for a literal %.

[migrate]
# Where env.py, script.py.mako and versions/ live.
script_location = ${script_location}

# Paths put first on sys.path before env.py runs, so it can import your models.
prepend_sys_path = .

# Names of new revision files. Tokens: %%(rev)s %%(slug)s %%(epoch)s %%(year)d
# %%(month).2d %%(day).2d %%(hour).2d %%(minute).2d %%(second).2d; may contain "/".
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s

# Zone of the create date and file name tokens (IANA name, e.g. UTC); blank = local time.
# timezone =

# Longest slug (the message part of file names).
# truncate_slug_length = 40

# Run env.py for `migrate revision` even without --autogenerate.
# revision_environment = false

# Accept .pyc revision files that have no .py source.
# sourceless = false

# More than one directory of revision files (default: <script_location>/versions).
# version_locations = %(here)s/bar %(here)s/bat ${script_location}/versions

# Search version locations recursively.
# recursive_version_locations = false

# How list options (version_locations, prepend_sys_path) are split:
# space (default: any whitespace), newline, os, ",", ";" or ":".
# path_separator = space

# Encoding of new revision files.
# output_encoding = utf-8

# The databases, each with its own section below.
databases = engine1, engine2


[engine1]
sqlalchemy.url = ${sqlalchemy_url}

[engine2]
sqlalchemy.url = ${sqlalchemy_url}


[post_write_hooks]
# Programs run on each new revision file, e.g. a formatter:
# hooks = ruff
# ruff.type = module
# ruff.module = ruff
# ruff.options = format REVISION_SCRIPT_FILENAME


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

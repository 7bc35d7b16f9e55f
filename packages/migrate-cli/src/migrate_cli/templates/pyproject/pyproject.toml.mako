
[tool.migrate]
# Where env.py, script.py.mako and versions/ live; %(here)s is this file's directory.
script_location = "${script_location}"

# Put first on sys.path before env.py runs, so it can import your models.
prepend_sys_path = ["."]

# Names of new revision files (tokens: rev slug epoch year month day hour minute second).
# file_template = "%(year)d_%(month).2d_%(day).2d_%(rev)s_%(slug)s"

# More than one directory of revision files.
# version_locations = ["%(here)s/migrations/versions", "%(here)s/other/versions"]
# recursive_version_locations = false

# timezone = "UTC"
# truncate_slug_length = 40
# revision_environment = false
# sourceless = false
# output_encoding = "utf-8"

# Programs run on each new revision file:
# [[tool.migrate.post_write_hooks]]
# name = "ruff"
# type = "module"
# module = "ruff"
# options = "format REVISION_SCRIPT_FILENAME"

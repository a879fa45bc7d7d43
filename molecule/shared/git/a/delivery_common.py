"""A module the DAG files import from their own folder (the bundle is on sys.path)."""

VERSION = "version-A"

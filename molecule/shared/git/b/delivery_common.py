"""A module the DAG files import from their own folder (the bundle is on sys.path)."""

VERSION = "version-B"

# The queue of the hybrid scenario's cloud-a zone: the DAGs delivered from Git run on its Celery worker, wa1.
QUEUE = "cloud-a"

"""Task code that reaches PyPI through the CA bundle the deployment was given (airflow_ca_bundle_src).

A virtualenv task installs a package from the index into a fresh venv, and a plain task opens an HTTPS URL
with Python's default context: both verify the index's certificate with the services' environment
(SSL_CERT_FILE, REQUESTS_CA_BUNDLE, PIP_CERT), not with settings made by hand.
"""

from __future__ import annotations

import pendulum

from airflow.sdk import dag, task


@dag(
    dag_id="airflowops_ca_bundle",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["airflowops", "tls"],
)
def airflowops_ca_bundle():
    @task.virtualenv(requirements=["six==1.16.0"], system_site_packages=False)
    def from_the_index() -> str:
        import six

        return six.__version__

    @task
    def https_with_default_context() -> int:
        import urllib.request

        with urllib.request.urlopen("https://pypi.org/simple/six/", timeout=30) as response:
            return response.status

    from_the_index()
    https_with_default_context()


airflowops_ca_bundle()

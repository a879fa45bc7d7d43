"""Stand-in for Airflow's DagBag in unit tests: imports every .py file below dag_folder and records the errors
by relative path, as the real one does."""

import importlib.util
import os
import traceback


class DagBag:
    def __init__(self, dag_folder=None, safe_mode=True, load_op_links=True, collect_dags=True, known_pools=None,
                 bundle_path=None, bundle_name=None):
        self.import_errors = {}
        self.dag_ids = []
        for dirpath, _dirs, files in os.walk(dag_folder):
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, dag_folder)
                try:
                    spec = importlib.util.spec_from_file_location("bundle_" + rel.replace("/", "_")[:-3], path)
                    module = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(module)
                    if hasattr(module, "DAG_ID"):
                        self.dag_ids.append(module.DAG_ID)
                except Exception:  # noqa: BLE001 - DagBag records every failure
                    self.import_errors[rel] = traceback.format_exc()

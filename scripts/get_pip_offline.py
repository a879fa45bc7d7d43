"""Offline stand-in for the get-pip bootstrap script ansible-test downloads from ci-files.testing.ansible.com
(unreachable from many build networks). ansible-test runs it inside a venv created without pip, with the
packages to install as arguments (pip==X, setuptools==Y, ...). It installs pip with ensurepip, then the
requested packages from the package index with pip itself (PIP_* settings and PIP_CERT apply).
scripts/sanity copies it to ~/.ansible/test/cache/get_pip_<version>.py."""

import subprocess
import sys

# Options get-pip.py knows that pip install does not.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY]
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)

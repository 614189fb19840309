# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put an offline stand-in for ansible-test's get-pip bootstrap script into its cache.

``ansible-test ... --venv`` downloads ``get-pip-<version>.py`` from the internet to bootstrap pip
in each virtualenv it creates. This machine reaches PyPI only, so we place a script in the
cache path ansible-test checks first (``~/.ansible/test/cache/get_pip_<version>.py``) that
bootstraps pip with ``python -m ensurepip`` and then installs the requested packages from PyPI.
"""

import os
import re
import sys

STANDIN = '''"""Offline stand-in for get-pip.py, written by tests/utils/install_get_pip_standin.py."""
import subprocess
import sys

DROPPED = ("--no-setuptools", "--no-wheel")
args = [a for a in sys.argv[1:] if a not in DROPPED]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
'''


def pip_versions():
    """The pip versions the installed ansible-test bootstraps (read from its source)."""
    import ansible_test  # pylint: disable=import-outside-toplevel

    source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(source, encoding="utf-8") as handle:
        found = set(re.findall(r"pip='([0-9.]+)'", handle.read()))
    if not found:
        sys.exit("cannot find the pip version ansible-test bootstraps in %s" % source)
    return sorted(found)


def main():
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    for version in pip_versions():
        path = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(STANDIN)
        print("get-pip stand-in for pip %s: %s" % (version, path))


if __name__ == "__main__":
    main()

import os

import pytest

from deploy_stack import ROOT, Stack, nginx_missing


def pytest_collection_modifyitems(config, items):
    """Skip these tests when the web app is not in the checkout yet, or (outside CI) without Nginx."""
    reason = None
    if not (ROOT / "webproject" / "wsgi.py").exists():
        reason = "the web app (webproject/) is not in this checkout yet"
    elif nginx_missing() and not os.environ.get("CI"):
        reason = nginx_missing()            # in CI, .ci/run installs Nginx: there its absence fails
    if reason:
        for item in items:
            if "tests/deploy/" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if nginx_missing():
        pytest.fail(nginx_missing())
    s = Stack(tmp_path_factory.mktemp("stack"))
    try:
        s.start()
        yield s
    finally:
        s.stop()

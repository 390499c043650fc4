"""更新作業 under load: deploy/update.sh and a master upgrade lose no request and serve the new code.

The site is wrapped in a probe module (FASTPRON_SITE_WSGI) whose version the
test rewrites on disk, as a `git pull` would, and reads back from a header.
"""

import pathlib
import time

import pytest

from deploy_stack import Load, Stack, nginx_missing

PROBE = '''
import os
VERSION = "{version}"
SETTING = os.environ.get("PROBE_SETTING", "")      # read when a worker imports the site
from webproject.wsgi import application as site


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, headers + [("X-Probe-Version", VERSION), ("X-Probe-Setting", SETTING)], exc_info)
    return site(environ, start)
'''


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    if nginx_missing():
        pytest.fail(nginx_missing())
    base = tmp_path_factory.mktemp("update")
    probe_dir = base / "probe"
    probe_dir.mkdir()
    (probe_dir / "fp_probe_site.py").write_text(PROBE.format(version="1"))
    s = Stack(base)
    with s.env_file.open("a") as f:
        f.write(f'FASTPRON_SITE_WSGI="fp_probe_site:application"\nPYTHONPATH="{probe_dir}"\n')
    s.probe = probe_dir / "fp_probe_site.py"
    try:
        s.start()
        yield s
    finally:
        s.stop()


def version(stack) -> str:
    r = stack.request("GET", "/article_pronunciation/input/")
    assert r.status == 200
    return r.header("X-Probe-Version")


def test_update_script_under_load_loses_no_request(probed):
    assert version(probed) == "1"
    master = probed.master_pid()
    before = probed.wait_workers(2)
    probed.probe.write_text(PROBE.format(version="2"))          # the new code on disk
    with probed.env_file.open("a") as f:                         # and an edited setting
        f.write('PROBE_SETTING="edited"\n')
    with Load(probed, threads=4, max_seconds=240, max_requests=100_000) as load:
        time.sleep(1)
        run = probed.script("update.sh", env={"FASTPRON_PULL": "0"}, timeout=240)
        time.sleep(1)
    print("update.sh:", load.summary())
    assert "更新完成 done" in run.stdout
    assert "self-check: " in run.stdout and " 0 failed" in run.stdout
    assert load.failures == []
    assert load.sent >= 100
    assert probed.master_pid() == master                         # HUP: same master ...
    assert probed.wait_workers(2).isdisjoint(before)              # ... new workers
    assert version(probed) == "2"                                 # ... running the new code
    r = probed.request("GET", "/article_pronunciation/input/")
    assert r.header("X-Probe-Setting") == "edited"                # ... with the new settings


def test_update_reports_the_failed_step(probed):
    # New code that does not load (here: settings that do not exist): the script stops
    # at step 4, before anything is reloaded, and says which step failed.
    run = probed.script("update.sh", env={"FASTPRON_PULL": "0", "DJANGO_SETTINGS_MODULE": "webproject.no_such_settings"},
                        check=False, timeout=240)
    assert run.returncode != 0
    assert '*** 失敗 FAILED: step 4/9 "檢查新版程式 check the new code"' in run.stderr
    assert version(probed) == "2"                                 # the running site is untouched


def test_master_upgrade_under_load_loses_no_request(probed):
    old_master = probed.master_pid()
    probed.probe.write_text(PROBE.format(version="3"))
    with Load(probed, threads=4, max_seconds=120, max_requests=50_000) as load:
        time.sleep(1)
        run = probed.ctl("upgrade", timeout=120)                 # USR2, then TERM to the old master
        time.sleep(1)
    print("upgrade:", load.summary())
    assert "Gunicorn upgraded" in run.stdout
    assert load.failures == []
    assert load.sent >= 100
    new_master = probed.master_pid()
    assert new_master != old_master
    probed.wait_workers(2, master=new_master)
    assert version(probed) == "3"

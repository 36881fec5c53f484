"""The command line through its real entry point: exit codes, Chinese messages, never a traceback."""

from __future__ import annotations

import json
import os

import pytest
from clikit import run_cli

from fazhi_desktop import cli


def run(*args, env_extra=None):
    return run_cli(*args, env=env_extra)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    proc = run("--db", str(path), "demo")
    assert proc.returncode == 0, proc.stderr
    assert "肖咀镇" in proc.stdout
    return path


def test_demo_then_stats_json_has_every_seed_value(demo_file):
    proc = run("--db", str(demo_file), "stats", "--year", "2023", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert (s["org.special_meetings"], s["org.documents"], s["study.center_group"], s["study.joint"]) == (4, 5, 6, 3)
    assert (s["publicity.ten_entries"], s["publicity.meetings"], s["publicity.campaigns"]) == (17, 3, 12)
    assert (s["publicity.banners"], s["talent.law_leaders"], s["counsel.count"], s["rectification.total"]) == (6, 43, 1, 6)
    assert s["law_report.village_secretaries"] == 6
    assert 3500 <= s["publicity.materials"] < 3600 and 680 <= s["talent.legal_understanders"] < 690


def test_stats_table_is_chinese(demo_file):
    proc = run("--db", str(demo_file), "stats", "--year", "2023")
    assert proc.returncode == 0
    assert "法律十进活动：17场次" in proc.stdout
    assert "上年" in proc.stdout


def test_demo_twice_is_harmless_and_other_data_is_refused(demo_file, tmp_path):
    """The README's demo line works when run again; a database holding another unit is never filled with it."""
    proc = run("--db", str(demo_file), "demo")
    assert proc.returncode == 0 and "已经载入过" in proc.stdout
    other = tmp_path / "other.sqlite3"
    assert run("--db", str(other), "init", "--unit", "甲镇", "--county", "某县", "--addressee", "县法治办",
               "--issuer", "甲镇", "--villages", "东村").returncode == 0
    proc = run("--db", str(other), "demo")
    assert proc.returncode == 1 and "空数据库" in proc.stderr


def test_bad_year_is_usage_error(demo_file):
    proc = run("--db", str(demo_file), "stats", "--year", "abc")
    assert proc.returncode == 2
    assert "年份" in proc.stderr


@pytest.mark.parametrize("args", [["bogus"], ["stats"], ["stats", "--year", "2023", "--format", "csv"], ["--nope"]])
def test_usage_errors_exit_2(args, tmp_path):
    proc = run("--db", str(tmp_path / "x.sqlite3"), *args)
    assert proc.returncode == 2
    assert "参数错误" in proc.stderr


def test_missing_folder_exits_1(tmp_path):
    proc = run("--db", str(tmp_path / "no" / "such" / "x.sqlite3"), "stats", "--year", "2023")
    assert proc.returncode == 1
    assert "文件夹不存在" in proc.stderr


def test_directory_as_database_exits_1(tmp_path):
    proc = run("--db", str(tmp_path), "stats", "--year", "2023")
    assert proc.returncode == 1
    assert "文件夹" in proc.stderr


def test_bad_url_exits_1(tmp_path):
    proc = run("--db-url", "nosuchdb://x/y", "stats", "--year", "2023")
    assert proc.returncode == 1
    assert "错误" in proc.stderr


def test_env_url_is_used(tmp_path, demo_file):
    proc = run("stats", "--year", "2023", "--format", "json", env_extra={"FAZHI_DB_URL": f"sqlite:///{demo_file}"})
    assert proc.returncode == 0 and json.loads(proc.stdout)["publicity.ten_entries"] == 17


def test_no_unit_yet_exits_1(tmp_path):
    proc = run("--db", str(tmp_path / "empty.sqlite3"), "stats", "--year", "2023")
    assert proc.returncode == 1
    assert "init" in proc.stderr


def test_init_creates_unit_and_validates(tmp_path):
    path = str(tmp_path / "init.sqlite3")
    proc = run("--db", path, "init", "--unit", "测试镇", "--county", "某县", "--addressee", "县法治办",
               "--issuer", "中共测试镇委员会,测试镇人民政府", "--villages", "东村,西村、南村")
    assert proc.returncode == 0, proc.stderr
    assert "村(社区) 3 个" in proc.stdout
    again = run("--db", path, "init", "--unit", "测试镇", "--county", "某县", "--addressee", "县法治办",
                "--issuer", "x", "--villages", "东村")
    assert again.returncode == 1 and "已经存在" in again.stderr
    dup = run("--db", str(tmp_path / "dup.sqlite3"), "init", "--unit", "乙镇", "--county", "某县",
              "--addressee", "县法治办", "--issuer", "x", "--villages", "东村,东村")
    assert dup.returncode == 1 and "重复" in dup.stderr
    two = run("--db", path, "init", "--unit", "第二镇", "--county", "某县", "--addressee", "县法治办",
              "--issuer", "x", "--villages", "甲村")
    assert two.returncode == 0
    ambiguous = run("--db", path, "stats", "--year", "2023")
    assert ambiguous.returncode == 1 and "--unit" in ambiguous.stderr
    assert run("--db", path, "--unit", "第二镇", "stats", "--year", "2023").returncode == 0


def test_unexpected_error_is_logged_not_shown(tmp_path, monkeypatch, capsys, data_dir):
    from fazhi_desktop import cli
    from fazhi_desktop.cli import commands

    def boom(args):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(commands, "stats", boom)
    code = cli.main(["--db", str(tmp_path / "x.sqlite3"), "stats", "--year", "2023"])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal detail" not in err and "日志" in err
    assert "RuntimeError: internal detail" in (data_dir / "logs" / "fazhi.log").read_text(encoding="utf-8")


def test_database_on_a_network_share_is_warned_about(tmp_path, monkeypatch, capsys):
    from fazhi_desktop import cli
    from fazhi_desktop.services import opening

    monkeypatch.setattr(opening, "location_warning", lambda path, mounts=None: "数据库位于网络文件夹（测试）")
    code = cli.main(["--db", str(tmp_path / "n.sqlite3"), "init", "--unit", "网镇", "--county", "县",
                     "--addressee", "县法治办", "--issuer", "党委", "--villages", "东村"])
    assert code == 0
    assert "提示：数据库位于网络文件夹" in capsys.readouterr().err


def test_commands_work_without_console_streams(demo_file, tmp_path):
    """The windowed Windows program has no stdout/stderr (sys.stdout is None): a command given to it still does its
    work and exits 0 instead of failing on its first print."""
    import subprocess
    import sys

    out = tmp_path / "r.pdf"
    code = ("import sys; sys.stdout = None; sys.stderr = None\n"
            "from fazhi_desktop.cli import main\n"
            f"sys.exit(main(['--db', {str(demo_file)!r}, 'stats', '--year', '2023', '--format', 'json']) * 10\n"
            f"         + main(['--db', {str(demo_file)!r}, 'report', '--year', '2023', '--out', {str(out)!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and out.stat().st_size > 5000


def test_report_builds_the_report_once_for_its_check_and_its_print(tmp_path, data_dir, monkeypatch):
    """``report`` lints the report (报告体检) and prints it: one build serves both (#38: it was built twice)."""
    from fazhi_desktop import cli
    from fazhi_desktop.reports import render
    from fazhi_desktop.reports.content import builder

    db = str(tmp_path / "demo.sqlite3")
    assert cli.main(["--db", db, "demo"]) == 0
    built = []
    real = builder.build_document

    def counted(*args, **kwargs):
        built.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(builder, "build_document", counted)
    monkeypatch.setattr(render, "build_document", counted)
    out = tmp_path / "报告.pdf"
    assert cli.main(["--db", db, "report", "--year", "2023", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000 and built == [2023]
    built.clear()
    assert cli.main(["--db", db, "report", "--year", "2023", "--check"]) == 0
    assert built == [2023]


def test_the_program_loads_its_modules_without_the_cycle_collector_and_sets_them_aside(demo_file, tmp_path):
    """#38: loading a command's modules made the cycle collector walk a few hundred thousand new objects over a
    hundred times (a tenth of the ``report`` command). Started as a process (``python -m fazhi_desktop``), the program loads
    them with the collector off, freezes what they made, and runs the command with the collector on, collecting the
    youngest objects every GC_YOUNG allocations."""
    import subprocess
    import sys

    out = tmp_path / "r.pdf"
    code = ("import atexit, gc, json, runpy, sys\n"
            "collections = []\n"
            "gc.callbacks.append(lambda phase, info: phase == 'start' and collections.append(info['generation']))\n"
            "seen = {}\n"
            "freeze = gc.freeze\n"
            "def freezing():\n"
            "    seen.update(loading=len(collections), modules=len(sys.modules), sqlalchemy='sqlalchemy' in sys.modules)\n"
            "    freeze()\n"
            "    seen.update(frozen=gc.get_freeze_count())\n"
            "gc.freeze = freezing\n"
            "def ended():\n"
            "    seen.update(enabled_after=gc.isenabled(), young=gc.get_threshold()[0],\n"
            "                command=len(collections) - seen.get('loading', 0))\n"
            "    print(json.dumps(seen), flush=True)\n"
            "atexit.register(ended)\n"
            f"sys.argv = ['fazhi-desktop', '--db', {str(demo_file)!r}, 'report', '--year', '2023', '--out', {str(out)!r}]\n"
            "runpy.run_module('fazhi_desktop', run_name='__main__')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0 and out.stat().st_size > 5000
    # no collection while the command's modules loaded (one may come as the interpreter starts the package)
    assert seen["loading"] <= 1 and seen["modules"] > 300
    assert seen["sqlalchemy"] and seen["frozen"] > 20_000  # what they made, set aside
    assert seen["command"] > 0 and seen["enabled_after"]  # the command itself runs with the collector on
    assert seen["young"] == cli.GC_YOUNG


def _program(code: str, tmp_path):
    """A process that starts the program as ``python -m fazhi_desktop`` does, after ``code`` (a test's hooks), and says
    whether the program returned to it (a normal exit) and when the exit functions ran."""
    import subprocess
    import sys

    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('exit functions ran', flush=True))\n"
            + code +
            "import runpy\n"
            "try:\n"
            "    runpy.run_module('fazhi_desktop', run_name='__main__')\n"
            "except SystemExit:\n"
            "    print('returned', flush=True)\n"
            "    raise\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=tmp_path,
                          env={**os.environ, "FAZHI_DATA_DIR": str(tmp_path / "data")})


def test_a_command_ends_its_process_at_once_and_says_all_it_had_to(demo_file, tmp_path):
    """#38: freeing every object a command loaded took 50–60 ms of ``report`` after its work was done. The process
    now ends at once, from the program: its exit functions run, its output and its code arrive."""
    out = tmp_path / "r.pdf"
    proc = _program(f"sys.argv = ['fazhi-desktop', '--db', {str(demo_file)!r}, 'report', '--year', '2023',"
                    f" '--out', {str(out)!r}]\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "已生成" in proc.stdout and "提示：" in proc.stderr and out.stat().st_size > 5000
    assert proc.stdout.splitlines()[-1] == "exit functions ran" and "returned" not in proc.stdout
    failed = _program(f"sys.argv = ['fazhi-desktop', '--db', {str(demo_file)!r}, 'report', '--year', '2023']\n",
                      tmp_path)  # no --out: the clerk's mistake, said, code 1
    assert failed.returncode == cli.EXIT_USER and "--out" in failed.stderr
    assert failed.stdout.splitlines() == ["exit functions ran"]
    usage = _program("sys.argv = ['fazhi-desktop', '--version']\n", tmp_path)  # no command ran: the usual way
    assert usage.returncode == 0 and usage.stdout.splitlines()[-2:] == ["returned", "exit functions ran"]


def test_a_command_that_leaves_a_thread_running_ends_as_python_ends_it(tmp_path):
    """Ending at once would cut another thread short: with one still running, the program returns and the process
    ends the usual way, after the thread."""
    code = ("import threading, time\n"
            "import fazhi_desktop.cli.commands as commands\n"
            "def slow(args):\n"
            "    threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished', flush=True))).start()\n"
            "    return 3\n"
            "commands.stats = slow\n"
            f"sys.argv = ['fazhi-desktop', '--db', {str(tmp_path / 'x.sqlite3')!r}, 'stats', '--year', '2023']\n")
    proc = _program(code, tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.splitlines() == ["returned", "thread finished", "exit functions ran"]

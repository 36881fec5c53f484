import sys

if sys.argv[1:2] == ["--child"]:  # work on hostile input, started by runtime.child: nothing else is loaded
    from fazhi_desktop.runtime.child import serve

    sys.exit(serve(sys.argv[2:]))

import gc  # noqa: E402

gc.disable()  # while the modules load (cli.run_program says why)
from fazhi_desktop.cli import run_program  # noqa: E402

sys.exit(run_program())

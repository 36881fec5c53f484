import sys

if sys.argv[1:2] == ["--child"]:  # work on hostile input, started by runtime.child: nothing else is loaded
    from fazhi_desktop.runtime.child import serve

    sys.exit(serve(sys.argv[2:]))

from fazhi_desktop.cli import main  # noqa: E402

sys.exit(main())

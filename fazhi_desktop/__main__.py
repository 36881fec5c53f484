import sys

from fazhi_desktop.cli import main

sys.exit(main())

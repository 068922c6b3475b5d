from __future__ import annotations

from smartlead_sync.cli import main

if __name__ == "__main__":
    main()
